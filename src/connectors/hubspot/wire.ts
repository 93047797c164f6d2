import type { SyncRules } from '../../config/sync-rules';
import { fromCanonical } from '../../domain/mapping';
import type { CrmObject, FieldValues } from '../../domain/records';

/**
 * Canonical fields → HubSpot properties for a write. HubSpot clears a property with "" (null is refused by some
 * property types); the counterpart id goes into the cross-reference property.
 */
export function hubspotWireProperties(rules: SyncRules, object: CrmObject, fields: FieldValues, counterpartId?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fromCanonical(rules, 'hubspot', object, fields))) out[name] = value ?? '';
  if (counterpartId !== undefined) out[rules.crossReference.hubspotProperty] = counterpartId;
  return out;
}
