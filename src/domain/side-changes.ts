import type { SyncRules } from './schema/sync-rules';
import type { FieldMapping } from './schema/field-mapping';
import type { CrmObject, FieldValues, SystemName } from './records';
import { mappingsOf, readsFrom, representable } from './mapping';

/** A field value, or undefined when a record (or a base) has nothing to say about it. */
export type Slot = string | null | undefined;

export function slotOf(fields: FieldValues | null | undefined, name: string): Slot {
  return fields && Object.hasOwn(fields, name) ? fields[name] : undefined;
}

/**
 * Whether `system` changed this field since its link's base, as the merge sees it. A column the hub only writes
 * never counts as changed; nor does a system whose base holds a value it cannot represent (it could not have held
 * that value, so what it holds is stale, not edited). Without a base value there is nothing to compare with: the
 * caller treats the system as joining.
 */
export function changedSince(rules: SyncRules, mapping: FieldMapping, system: SystemName, slot: Slot, base: Slot): boolean {
  if (slot === undefined || base === undefined || !readsFrom(mapping, system)) return false;
  if (!representable(rules, mapping, system, base)) return false;
  return slot !== base;
}

/**
 * Canonical fields of one system's record that differ from its link's base in a way a merge would act on. Empty
 * means the record is as we last left it: an echo of our own write, or an edit the rules ignore.
 */
export function changedFields(rules: SyncRules, object: CrmObject, system: SystemName, fields: FieldValues, base: FieldValues): string[] {
  return mappingsOf(rules, object)
    .filter((mapping) => {
      const slot = slotOf(fields, mapping.name);
      const was = slotOf(base, mapping.name);
      // a field the base never held (a mapping added since) counts as a change only when it has a value
      return was === undefined ? readsFrom(mapping, system) && slot !== undefined && slot !== null : changedSince(rules, mapping, system, slot, was);
    })
    .map((mapping) => mapping.name);
}
