import type { SyncRules } from '../config/sync-rules';
import type { CrmObject, CrmSystem, FieldValues } from './records';
import type { FieldMapping } from './schema/field-mapping';
import { mappingsOf, writesTo } from './mapping';
import { representable, sideChanged, slotOf, type Slot } from './side-changes';

export interface MergeSide {
  fields: FieldValues;
  /** The side's record modification time (epoch ms): the newer side wins a field both sides changed. */
  modifiedAt: number;
}

export interface MergeResult {
  /** The values both sides hold after the patches are applied: store it as the next merge base. */
  merged: FieldValues;
  /** What to write to HubSpot (all of a create payload when `hubspot` was null); empty = no write. */
  hubspotPatch: FieldValues;
  zohoPatch: FieldValues;
  /** Canonical fields where both sides held different values and one was discarded. */
  conflicts: string[];
}

export interface MergeInput {
  rules: SyncRules;
  object: CrmObject;
  /** Canonical values last synced for this pair (null: never linked). */
  base: FieldValues | null;
  /** null: no record on that side yet. */
  hubspot: MergeSide | null;
  zoho: MergeSide | null;
}

interface FieldOutcome {
  merged: Slot;
  /** Sides the merged value must be written to (before comparing with their current value). */
  writeTo: CrmSystem[];
  conflict: boolean;
}

/**
 * Three-way, per-field merge of a linked pair against its merge base (the canonical values last synced): a field
 * changed on one side takes that side's value; changed on both (differently), the newer record wins, a tie goes to
 * `rules.master`; without a base, the master's non-empty values win and empty never erases non-empty.
 * One-way fields take changes only from their source side and are never written to the other. A value a side
 * cannot hold (an enum value its table drops) is never written there, and while the base holds such a value that
 * side's field counts as unchanged, so its stale value never overwrites the other side.
 */
export function mergeRecords(input: MergeInput): MergeResult {
  const result: MergeResult = { merged: {}, hubspotPatch: {}, zohoPatch: {}, conflicts: [] };
  const sides = { hubspot: input.hubspot, zoho: input.zoho };
  // with no record on either side there is nothing to create from: keep the base, write nothing
  const writable = sides.hubspot !== null || sides.zoho !== null;
  for (const mapping of mappingsOf(input.rules, input.object)) {
    const name = mapping.name;
    const slots = { hubspot: slotOf(sides.hubspot?.fields, name), zoho: slotOf(sides.zoho?.fields, name) };
    const base = slotOf(input.base, name);
    const outcome = mapping.direction === 'both' ? mergeTwoWay(input, mapping, slots, base) : mergeOneWay(input, mapping, slots, base);
    if (outcome.merged === undefined) continue;
    const merged = outcome.merged;
    result.merged[name] = merged;
    if (outcome.conflict) result.conflicts.push(name);
    for (const system of outcome.writeTo) {
      if (!writable || !writesTo(mapping, system) || !representable(input.rules, mapping, system, merged)) continue;
      const side = sides[system];
      // a record yet to be created gets only non-empty values; an existing one gets whatever differs from it
      const current = side === null ? null : slots[system] !== undefined ? slots[system] : (base ?? null);
      if (merged !== current) (system === 'hubspot' ? result.hubspotPatch : result.zohoPatch)[name] = merged;
    }
  }
  return result;
}

function mergeTwoWay(input: MergeInput, mapping: FieldMapping, slots: Record<CrmSystem, Slot>, base: Slot): FieldOutcome {
  const both: CrmSystem[] = ['hubspot', 'zoho'];
  const { hubspot, zoho } = slots;
  if (base !== undefined) {
    const hubspotChanged = sideChanged(input.rules, mapping, 'hubspot', hubspot, base);
    const zohoChanged = sideChanged(input.rules, mapping, 'zoho', zoho, base);
    if (hubspotChanged && zohoChanged && hubspot !== zoho) {
      return { merged: slots[newerSide(input)], writeTo: both, conflict: true };
    }
    if (hubspotChanged) return { merged: hubspot, writeTo: both, conflict: false };
    if (zohoChanged) return { merged: zoho, writeTo: both, conflict: false };
    return { merged: base, writeTo: both, conflict: false };
  }
  // first link (or a mapping added since the last sync): nothing to tell which side changed
  if (hubspot === undefined || hubspot === null) return { merged: zoho !== undefined ? zoho : hubspot, writeTo: both, conflict: false };
  if (zoho === undefined || zoho === null || zoho === hubspot) return { merged: hubspot, writeTo: both, conflict: false };
  return { merged: slots[input.rules.master], writeTo: both, conflict: true };
}

function newerSide(input: MergeInput): CrmSystem {
  const hubspotAt = input.hubspot?.modifiedAt ?? -Infinity;
  const zohoAt = input.zoho?.modifiedAt ?? -Infinity;
  if (hubspotAt === zohoAt) return input.rules.master;
  return hubspotAt > zohoAt ? 'hubspot' : 'zoho';
}

/**
 * The source side's value is the merged value (and so the next base). The target is written only when the source
 * changed since the base (or, without a base, holds a non-empty value): edits made on the target side survive
 * until the source changes that field, and an empty source never erases the target on first link.
 */
function mergeOneWay(input: MergeInput, mapping: FieldMapping, slots: Record<CrmSystem, Slot>, base: Slot): FieldOutcome {
  const source: CrmSystem = mapping.direction === 'zoho-to-hubspot' ? 'zoho' : 'hubspot';
  const target: CrmSystem = source === 'zoho' ? 'hubspot' : 'zoho';
  const value = slots[source];
  if (value === undefined) return { merged: base, writeTo: [], conflict: false };
  const creatingTarget = input[target] === null;
  const changed = creatingTarget ? value !== null : sideChanged(input.rules, mapping, source, value, base);
  return { merged: value, writeTo: changed ? [target] : [], conflict: false };
}
