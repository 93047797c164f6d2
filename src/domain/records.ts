/**
 * The hub's own vocabulary, independent of any system's wire format. A system is named by its registry entry
 * (src/systems/registry.ts); the domain never lists them.
 */
export type SystemName = string;

export const CRM_OBJECTS = ['contact', 'company', 'deal'] as const;
/** A canonical object type: what an entity is, whatever each system calls its records. */
export type CrmObject = (typeof CRM_OBJECTS)[number];

export interface RecordRef {
  system: SystemName;
  object: CrmObject;
  id: string;
}

/** Canonical field name (the mapping's `name`) → normalised value; null means empty. Plain JSON. */
export type FieldValues = Record<string, string | null>;

/** What a connector read from a system, already mapped to canonical fields. Plain JSON (crosses Temporal). */
export interface RecordSnapshot {
  ref: RecordRef;
  /** Opaque version stamp from the system (HubSpot lastmodifieddate / hs_lastmodifieddate, Zoho Modified_Time). */
  version: string;
  /** The version as epoch milliseconds, for "newest wins" and for refusing reads older than a link records. */
  modifiedAt: number;
  fields: FieldValues;
  /** Contacts and deals: the id of the associated (primary) company in the same system, or null. */
  companyId?: string | null;
  /** Deals: the id of the associated contact in the same system, or null. */
  contactId?: string | null;
  /** The ids of this entity's records in other systems that the connector wrote into this record (cross-references). */
  crossRefs?: Record<SystemName, string>;
  /** Records of the same system merged into this one (HubSpot's contact merge): their links move to it. */
  mergedIds?: string[];
}

/** Keys used to find a record's counterpart when no link exists yet. */
export interface MatchKeys {
  email?: string | null;
  domain?: string | null;
  name?: string | null;
}

/** What a write sets besides the mapped fields. */
export interface RecordLinks {
  /**
   * Other systems' record ids of the same entity, written into this system's cross-reference fields where it has one;
   * null clears the field (the record it named was deleted and unlinked).
   */
  crossRefs?: Record<SystemName, string | null>;
  /** Contacts and deals: the associated company's id in this system (null removes the association). */
  companyId?: string | null;
  /** Deals: the associated contact's id in this system (null removes the association). */
  contactId?: string | null;
}

export interface WriteResult {
  id: string;
  version: string;
  modifiedAt: number;
  /** true when the write created the record (false when it updated an existing one). */
  created: boolean;
}

export function workflowIdFor(ref: RecordRef): string {
  return `${ref.system}:${ref.object}:${ref.id}`;
}

/**
 * A record's pointer to a record of another object in the same system (a contact's company, a deal's contact). It is
 * merged like a field, under a pseudo-field valued as the referenced entity's id, or as `system:id` while that record
 * has no entity yet (so two unlinked records still compare); the snapshot and the write carry it under `key`.
 */
export interface Reference {
  field: string;
  object: CrmObject;
  key: 'companyId' | 'contactId';
}

export const COMPANY_FIELD = '@company';
export const CONTACT_FIELD = '@contact';
const COMPANY: Reference = { field: COMPANY_FIELD, object: 'company', key: 'companyId' };
const CONTACT: Reference = { field: CONTACT_FIELD, object: 'contact', key: 'contactId' };

/** What each object points at. */
export const REFERENCES: Record<CrmObject, readonly Reference[]> = { contact: [COMPANY], company: [], deal: [CONTACT, COMPANY] };
