/** The connector's own vocabulary, independent of either CRM's wire format. */
export const CRM_SYSTEMS = ['hubspot', 'zoho'] as const;
export type CrmSystem = (typeof CRM_SYSTEMS)[number];

export const CRM_OBJECTS = ['contact', 'company'] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];

export interface RecordRef {
  system: CrmSystem;
  object: CrmObject;
  id: string;
}

/** Canonical field name (the mapping's `name`) → normalised value; null means empty. Plain JSON. */
export type FieldValues = Record<string, string | null>;

/** What a connector read from a CRM, already mapped to canonical fields. Plain JSON (crosses Temporal). */
export interface RecordSnapshot {
  ref: RecordRef;
  /** Opaque version stamp from the CRM (HubSpot lastmodifieddate / hs_lastmodifieddate, Zoho Modified_Time). */
  version: string;
  /** The version as epoch milliseconds, for "newest wins". */
  modifiedAt: number;
  fields: FieldValues;
  /** Contacts only: the id of the associated (primary) company in the same CRM, or null. */
  companyId?: string | null;
  /** The counterpart id the connector wrote into this record (HubSpot zoho_record_id, Zoho HubSpot_ID), if any. */
  counterpartId?: string | null;
  /** Zoho records only: whether the record satisfies the configured "hot" rule (HubSpot holds only hot contacts). */
  hot?: boolean;
}

/** Keys used to find a record's counterpart when no link exists yet. */
export interface MatchKeys {
  email?: string | null;
  domain?: string | null;
  name?: string | null;
}

export interface WriteResult {
  id: string;
  version: string;
  modifiedAt: number;
  /** true when the write created the record (false when it updated an existing one). */
  created: boolean;
}

export function otherSystem(system: CrmSystem): CrmSystem {
  return system === 'hubspot' ? 'zoho' : 'hubspot';
}

export function workflowIdFor(ref: RecordRef): string {
  return `${ref.system}:${ref.object}:${ref.id}`;
}

/** The contact's company travels as this pseudo-field, valued in Zoho's id space (Zoho is the master). */
export const COMPANY_FIELD = '@company';
