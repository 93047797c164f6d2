import { crossReferenceFields, crossRefsIn, toCanonical, wireFieldNames } from '../../domain/mapping';
import { REFERENCES, type CrmObject, type RecordSnapshot } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { primaryTypeNames, type ReferenceIds } from './association-kinds';

/** This connector's name in the registry, the rules and the cross-references. */
export const HUBSPOT = 'hubspot';

export type HubspotObjectType = 'contacts' | 'companies' | 'deals';

export const OBJECT_TYPE: Record<CrmObject, HubspotObjectType> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/** HubSpot bumps a different property per object on every write. */
export const MODIFIED_PROPERTY: Record<CrmObject, string> = { contact: 'lastmodifieddate', company: 'hs_lastmodifieddate', deal: 'hs_lastmodifieddate' };

/** The shape the SDK returns for a record (SimplePublicObject and friends). */
export interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: Date;
  archived?: boolean;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
}

/** Where HubSpot lists the ids of the records merged into this one (";"-separated). */
const MERGED_IDS_PROPERTY = 'hs_merged_object_ids';

/** Properties every read asks for: the mapped ones, the cross-references, the modification stamp and merged ids. */
export function readProperties(rules: SyncRules, object: CrmObject): string[] {
  const crossRefs = Object.values(crossReferenceFields(rules, HUBSPOT, object));
  return [...new Set([...wireFieldNames(rules, HUBSPOT, object), ...crossRefs, MODIFIED_PROPERTY[object], MERGED_IDS_PROPERTY])];
}

/** HubSpot returns datetimes as ISO strings on v3 reads; epoch-ms strings appear in older payloads. */
export function epochMsOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

export function versionOf(object: CrmObject, record: Pick<HubspotRecord, 'properties' | 'updatedAt'>): { version: string; modifiedAt: number } {
  const stamp = record.properties[MODIFIED_PROPERTY[object]];
  const modifiedAt = stamp ? epochMsOf(stamp) : NaN;
  if (stamp && Number.isFinite(modifiedAt)) return { version: stamp, modifiedAt };
  // Falls back to the top-level updatedAt (always present) if the property was not returned.
  return { version: record.updatedAt.toISOString(), modifiedAt: record.updatedAt.getTime() };
}

/** The partner each reference follows, from a v3 read with `?associations=`: the primary one, else the first listed. */
function referencesOf(object: CrmObject, record: HubspotRecord): ReferenceIds {
  const ids: ReferenceIds = {};
  for (const reference of REFERENCES[object]) {
    const primary = primaryTypeNames(object, reference.object);
    const results = record.associations?.[OBJECT_TYPE[reference.object]]?.results ?? [];
    ids[reference.key] = (results.find((r) => primary.has(r.type)) ?? results[0])?.id ?? null;
  }
  return ids;
}

/** `references`: what the record's references follow when read separately (reads without associations). */
export function toSnapshot(rules: SyncRules, object: CrmObject, record: HubspotRecord, references?: ReferenceIds): RecordSnapshot {
  const followed = references ?? referencesOf(object, record);
  return {
    ref: { system: HUBSPOT, object, id: record.id },
    ...versionOf(object, record),
    fields: toCanonical(rules, HUBSPOT, object, record.properties),
    ...Object.fromEntries(REFERENCES[object].map((reference) => [reference.key, followed[reference.key] ?? null])),
    crossRefs: crossRefsIn(rules, HUBSPOT, object, record.properties),
    ...mergedIdsOf(record.properties),
  };
}

function mergedIdsOf(properties: Record<string, string | null>): { mergedIds?: string[] } {
  const ids = (properties[MERGED_IDS_PROPERTY] ?? '').split(';').filter((id) => id !== '');
  return ids.length > 0 ? { mergedIds: ids } : {};
}
