import type { SyncRules } from '../config/sync-rules';
import type { CrmObject, CrmSystem, FieldValues } from './records';
import type { FieldMapping } from './schema/field-mapping';
import { mappingsOf } from './mapping';
import { canonicalToWire } from './transforms';

/** A field value, or undefined when a side (or the base) has nothing to say about it. */
export type Slot = string | null | undefined;

export function slotOf(fields: FieldValues | null | undefined, name: string): Slot {
  return fields && Object.hasOwn(fields, name) ? fields[name] : undefined;
}

/** Whether `system` can hold the canonical value at all (an enum value its table drops cannot be written there). */
export function representable(rules: SyncRules, mapping: FieldMapping, system: CrmSystem, value: string | null): boolean {
  return value === null || canonicalToWire(rules, mapping.transform, system, value) !== undefined;
}

/**
 * Whether `system` changed this field since the base, as the merge sees it. The side a one-way field flows to never
 * counts as changed; nor does a side when the base holds a value it cannot represent (it could not have held the
 * base, so its value is stale, not edited). Without a base value, any non-empty value counts.
 */
export function sideChanged(rules: SyncRules, mapping: FieldMapping, system: CrmSystem, slot: Slot, base: Slot): boolean {
  if (slot === undefined) return false;
  if (mapping.direction !== 'both' && mapping.direction !== `${system}-to-${system === 'zoho' ? 'hubspot' : 'zoho'}`) return false;
  if (base === undefined) return slot !== null;
  if (!representable(rules, mapping, system, base)) return false;
  return slot !== base;
}

/**
 * Canonical fields of one side's record that differ from the merge base in a way a merge would act on. Empty means
 * the record is in sync with the base: an echo of our own write, or an edit the rules ignore.
 */
export function changedFields(rules: SyncRules, object: CrmObject, system: CrmSystem, fields: FieldValues, base: FieldValues): string[] {
  return mappingsOf(rules, object)
    .filter((mapping) => sideChanged(rules, mapping, system, slotOf(fields, mapping.name), slotOf(base, mapping.name)))
    .map((mapping) => mapping.name);
}
