import { columnOf, crossReferenceField, fromCanonical, mappingsOf, writesTo } from '../../domain/mapping';
import type { CrmObject, FieldValues, SystemName } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { PermanentCrmError } from '../errors';
import { HUBSPOT } from './snapshot';

/**
 * Canonical fields → HubSpot properties for a write. HubSpot clears a property with "" (null is refused by some
 * property types); each other system's id goes into its cross-reference property, where HubSpot has one ("" for null).
 */
export function hubspotWireProperties(rules: SyncRules, object: CrmObject, fields: FieldValues, crossRefs: Record<SystemName, string | null> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fromCanonical(rules, HUBSPOT, object, fields))) out[name] = value ?? '';
  for (const [other, id] of Object.entries(crossRefs)) {
    const property = crossReferenceField(rules, HUBSPOT, other, object);
    if (property !== undefined) out[property] = id ?? '';
  }
  return out;
}

/** The pipeline a deal is created in when the rules map none: every account has this one. */
export const DEFAULT_PIPELINE = 'default';
const PIPELINE_PROPERTY = 'pipeline';

/** Whether the rules write deals' pipeline themselves (a mapping with a column `pipeline` that writes to HubSpot). */
export function rulesMapPipeline(rules: SyncRules): boolean {
  return mappingsOf(rules, 'deal').some((mapping) => columnOf(mapping, HUBSPOT)?.field === PIPELINE_PROPERTY && writesTo(mapping, HUBSPOT));
}

/**
 * hubspotWireProperties for a create (or the upsert that stands for one). A deal names its pipeline: the stage ids
 * the rules write are checked against that pipeline at start-up (schema.ts), whatever HubSpot's default is meanwhile.
 */
export function hubspotCreateProperties(rules: SyncRules, object: CrmObject, fields: FieldValues, crossRefs: Record<SystemName, string | null> = {}): Record<string, string> {
  const properties = hubspotWireProperties(rules, object, fields, crossRefs);
  return object === 'deal' && !rulesMapPipeline(rules) ? { ...properties, [PIPELINE_PROPERTY]: DEFAULT_PIPELINE } : properties;
}

export interface UniqueKey {
  id: string;
  idProperty: string;
}

/** The write's unique values: a contact's email, then its cross-reference properties (ensureSchema declares them unique). */
export function uniqueKeysOf(rules: SyncRules, object: CrmObject, properties: Record<string, string>, crossRefs: Record<SystemName, string | null> = {}): UniqueKey[] {
  const keys: UniqueKey[] = [];
  const email = object === 'contact' ? properties.email : undefined;
  if (email) keys.push({ id: email.toLowerCase(), idProperty: 'email' });
  for (const [other, id] of Object.entries(crossRefs)) {
    const property = crossReferenceField(rules, HUBSPOT, other, object);
    if (property !== undefined && id !== null) keys.push({ id, idProperty: property });
  }
  return keys;
}

/**
 * The unique key a create upserts by, so a retried create finds the record its first attempt made: the first of
 * uniqueKeysOf. null when the write names no system HubSpot keeps a cross-reference for.
 */
export function upsertKeyOf(rules: SyncRules, object: CrmObject, properties: Record<string, string>, crossRefs: Record<SystemName, string | null> = {}): UniqueKey | null {
  return uniqueKeysOf(rules, object, properties, crossRefs)[0] ?? null;
}

/** Without a unique key a retried create would make a second record: refused, naming the setting that is missing. */
export function noUpsertKey(object: CrmObject, crossRefs: Record<SystemName, string | null> = {}): PermanentCrmError {
  const systems = Object.keys(crossRefs).join(', ') || 'none given';
  return new PermanentCrmError(`HubSpot cannot create this ${object} idempotently: no cross-reference property for the linked systems (${systems}); add one under crossReference.${HUBSPOT}`);
}
