import { crossReferenceField, fromCanonical } from '../../domain/mapping';
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

/**
 * The unique key a create upserts by, so a retried create finds the record its first attempt made: a contact's email
 * when it has one, otherwise the first cross-reference property among the write's (ensureSchema declares them unique).
 * null when the write names no system HubSpot keeps a cross-reference for.
 */
export function upsertKeyOf(rules: SyncRules, object: CrmObject, properties: Record<string, string>, crossRefs: Record<SystemName, string | null> = {}): { id: string; idProperty: string } | null {
  const email = object === 'contact' ? properties.email : undefined;
  if (email) return { id: email.toLowerCase(), idProperty: 'email' };
  for (const [other, id] of Object.entries(crossRefs)) {
    const property = crossReferenceField(rules, HUBSPOT, other, object);
    if (property !== undefined && id !== null) return { id, idProperty: property };
  }
  return null;
}

/** Without a unique key a retried create would make a second record: refused, naming the setting that is missing. */
export function noUpsertKey(object: CrmObject, crossRefs: Record<SystemName, string | null> = {}): PermanentCrmError {
  const systems = Object.keys(crossRefs).join(', ') || 'none given';
  return new PermanentCrmError(`HubSpot cannot create this ${object} idempotently: no cross-reference property for the linked systems (${systems}); add one under crossReference.${HUBSPOT}`);
}
