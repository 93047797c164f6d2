import type { SyncRules } from '../config/sync-rules';
import type { CrmObject, CrmSystem, FieldValues } from './records';
import type { FieldMapping } from './schema/field-mapping';
import { mappingsOf, writesTo } from './mapping';

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

/** A field value, or undefined when the side (or base) has nothing to say about it. */
type Slot = string | null | undefined;

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
 * One-way fields take changes only from their source side and are never written to the other.
 */
export function mergeRecords(input: MergeInput): MergeResult {
  const result: MergeResult = { merged: {}, hubspotPatch: {}, zohoPatch: {}, conflicts: [] };
  const sides = { hubspot: input.hubspot, zoho: input.zoho };
  for (const mapping of mappingsOf(input.rules, input.object)) {
    const name = mapping.name;
    const slots = { hubspot: slotOf(sides.hubspot?.fields, name), zoho: slotOf(sides.zoho?.fields, name) };
    const base = slotOf(input.base ?? undefined, name);
    const outcome = mapping.direction === 'both' ? mergeTwoWay(input, slots, base) : mergeOneWay(mapping, sides, slots, base);
    if (outcome.merged === undefined) continue;
    result.merged[name] = outcome.merged;
    if (outcome.conflict) result.conflicts.push(name);
    for (const system of outcome.writeTo) {
      if (!writesTo(mapping, system)) continue;
      const side = sides[system];
      // a record yet to be created gets only non-empty values; an existing one gets whatever differs from it
      const current = side === null ? null : slots[system] !== undefined ? slots[system] : (base ?? null);
      if (outcome.merged !== current) (system === 'hubspot' ? result.hubspotPatch : result.zohoPatch)[name] = outcome.merged;
    }
  }
  return result;
}

function slotOf(fields: FieldValues | undefined, name: string): Slot {
  return fields !== undefined && Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function mergeTwoWay(input: MergeInput, slots: Record<CrmSystem, Slot>, base: Slot): FieldOutcome {
  const both: CrmSystem[] = ['hubspot', 'zoho'];
  const { hubspot, zoho } = slots;
  if (base !== undefined) {
    const hubspotChanged = hubspot !== undefined && hubspot !== base;
    const zohoChanged = zoho !== undefined && zoho !== base;
    if (hubspotChanged && zohoChanged && hubspot !== zoho) {
      return { merged: slots[newerSide(input)], writeTo: both, conflict: true };
    }
    if (hubspotChanged) return { merged: hubspot, writeTo: both, conflict: false };
    if (zohoChanged) return { merged: zoho, writeTo: both, conflict: false };
    return { merged: base, writeTo: both, conflict: false };
  }
  // first link (or a mapping added since the last sync): nothing to tell which side changed
  if (hubspot === undefined || hubspot === null) return { merged: zoho ?? hubspot, writeTo: both, conflict: false };
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
function mergeOneWay(
  mapping: FieldMapping,
  sides: Record<CrmSystem, MergeSide | null>,
  slots: Record<CrmSystem, Slot>,
  base: Slot,
): FieldOutcome {
  const source: CrmSystem = mapping.direction === 'zoho-to-hubspot' ? 'zoho' : 'hubspot';
  const target: CrmSystem = source === 'zoho' ? 'hubspot' : 'zoho';
  const value = slots[source];
  if (value === undefined) return { merged: base, writeTo: [], conflict: false };
  const creatingTarget = sides[target] === null;
  const changed = base === undefined || creatingTarget ? value !== null : value !== base;
  return { merged: value, writeTo: changed ? [target] : [], conflict: false };
}
