import type { SyncRules } from './schema/sync-rules';
import type { FieldMapping } from './schema/field-mapping';
import type { CrmObject, FieldValues, SystemName } from './records';
import { mappingsOf, readsFrom, representable, writesTo } from './mapping';
import { changedSince, slotOf, type Slot } from './side-changes';

/** A value one of our writes replaced in a record, and when it was set there (epoch ms, that system's clock). */
export interface ReplacedValue {
  value: string | null;
  at: number;
}

/** Per field, what our last write there replaced (MergeSide.replaced). */
export type ReplacedValues = Record<string, ReplacedValue>;

export interface MergeSide {
  fields: FieldValues;
  /** The record's modification time (epoch ms): the newer record wins a field several systems changed. */
  modifiedAt: number;
  /** The last value the hub wrote to each of the record's fields: holding it, the record did not change that field. */
  written?: FieldValues | null;
  /**
   * Where a field still holds our unsaved write (unsavedWritesStanding): what that write replaced, and when it was set.
   * It stands for the field's value in the merge, dated by its own time, so a person's edit our write went over
   * unseen still wins as the newer edit, and is written back.
   */
  replaced?: ReplacedValues | null;
}

export interface MergeInput {
  rules: SyncRules;
  object: CrmObject;
  /** Every system holding this object, in priority order: the first wins ties and, on first link, its values. */
  systems: SystemName[];
  /** The hub's agreed values after the last pass (null: a new entity). */
  base: FieldValues | null;
  /** Per system, the values it held after our last sync with it (null or absent: not linked yet). */
  linkBases: Record<SystemName, FieldValues | null>;
  /** Per system, its record as read now (null or absent: no record there). */
  sides: Record<SystemName, MergeSide | null>;
  /**
   * false only for workflow histories from before it was fixed: a record's empty field was taken for "nothing to say"
   * when deciding what to write there, so a field a refused write had left empty was never filled (issue 15).
   */
  emptyIsHeld?: boolean;
}

export interface MergeResult {
  /** The agreed values after the patches are applied: the entity's next base. */
  merged: FieldValues;
  /** Per system with a record or one to create: what to write there (for a create, every value it takes). */
  patches: Record<SystemName, FieldValues>;
  /** Canonical fields where systems held different new values and all but one were discarded. */
  conflicts: string[];
}

/** One field's outcome: the agreed value, and whether anyone changed it in this pass. */
export interface FieldOutcome {
  merged: Slot;
  changed: boolean;
  conflict: boolean;
}

/**
 * Per-field merge of an entity's records against each link's base: a field changed in one system takes that value;
 * changed in several (differently), the newest record wins, a tie goes to the first in priority order; unchanged
 * everywhere, the entity's base stands. A system joining the entity (no base for the field) fills only what is empty;
 * on first link the first non-empty value in priority order wins. Columns the hub only writes never change the
 * value; columns it only reads are never written; a value a system cannot hold (an enum value its table drops) is
 * never written there.
 */
export function mergeRecords(input: MergeInput): MergeResult {
  const result: MergeResult = { merged: {}, patches: {}, conflicts: [] };
  const present = input.systems.filter((system) => input.sides[system]);
  for (const system of input.systems) result.patches[system] = {};
  // with no record anywhere there is nothing to create from: keep the base, write nothing
  const writable = present.length > 0;
  for (const mapping of mappingsOf(input.rules, input.object)) {
    const name = mapping.name;
    const outcome = mergeField(input, name, (system, slot, base) => changedSince(input.rules, mapping, system, slot, base), (system) => readsFrom(mapping, system));
    if (outcome.merged === undefined) continue;
    const merged = outcome.merged;
    result.merged[name] = merged;
    if (outcome.conflict) result.conflicts.push(name);
    if (!writable) continue;
    for (const system of input.systems) {
      if (!writesTo(mapping, system) || !representable(input.rules, mapping, system, merged)) continue;
      const side = input.sides[system];
      if (side && !readsFrom(mapping, system) && !onlyWrittenChanged(input, name, outcome)) continue;
      // a record yet to be created gets only non-empty values; an existing one whatever differs from it
      const current = side ? heldValue(input, system, name) : null;
      if (merged !== current) (result.patches[system] as FieldValues)[name] = merged;
    }
  }
  return result;
}

/**
 * What a record holds in a field, for deciding whether to write it. A field its read does not include (undefined) is
 * taken to hold what the link's base, else the entity's, says; an empty field holds nothing, and gets the merged value.
 */
function heldValue(input: MergeInput, system: SystemName, name: string): string | null {
  const own = slotOf(input.sides[system]?.fields, name);
  if (input.emptyIsHeld === false) return own ?? slotOf(input.linkBases[system], name) ?? slotOf(input.base, name) ?? null;
  if (own !== undefined) return own;
  return slotOf(input.linkBases[system], name) ?? slotOf(input.base, name) ?? null;
}

/**
 * A column the hub only writes keeps its system's own edits until the value changes elsewhere: it is written when
 * someone changed the field in this pass, or when there is no agreed value yet.
 */
function onlyWrittenChanged(input: MergeInput, name: string, outcome: FieldOutcome): boolean {
  return outcome.changed || (slotOf(input.base, name) === undefined && outcome.merged !== null);
}

/**
 * The merge rule for one field, shared by mapped fields and the contact's company. `changed` says whether a system
 * changed the value since its link's base; `reads` whether its value counts at all.
 */
export function mergeField(
  input: Pick<MergeInput, 'systems' | 'base' | 'linkBases' | 'sides'>,
  name: string,
  changed: (system: SystemName, slot: Slot, base: Slot) => boolean,
  reads: (system: SystemName) => boolean,
): FieldOutcome {
  const readers = input.systems.filter((system) => input.sides[system] && reads(system) && slotOf(input.sides[system]?.fields, name) !== undefined);
  const slot = (system: SystemName): Slot => {
    const replaced = input.sides[system]?.replaced?.[name];
    return replaced ? replaced.value : slotOf(input.sides[system]?.fields, name);
  };
  const baseOf = (system: SystemName) => slotOf(input.linkBases[system], name);
  const changers = readers.filter((system) => changed(system, slot(system), baseOf(system)));
  if (changers.length > 0) {
    const values = new Set(changers.map(slot));
    if (values.size === 1) return { merged: slot(changers[0] as SystemName), changed: true, conflict: false };
    // A record still holding what the hub wrote there only looks changed because that pass's base was never saved;
    // its modification time is our write's, so it must not outrank a person's edit elsewhere.
    const people = changers.filter((system) => slotOf(input.sides[system]?.written, name) !== slot(system));
    return { merged: slot(newest(input, people.length > 0 ? people : changers, name)), changed: true, conflict: true };
  }
  const agreed = slotOf(input.base, name);
  const joining = readers.filter((system) => baseOf(system) === undefined);
  const firstValue = joining.find((system) => slot(system) !== null);
  if (agreed !== undefined) {
    // a system joining the entity fills what is empty, and never erases
    if (agreed === null && firstValue !== undefined) return { merged: slot(firstValue), changed: true, conflict: false };
    return { merged: agreed, changed: false, conflict: false };
  }
  // first link: the first non-empty value in priority order; empty never erases non-empty
  const first = readers.find((system) => slot(system) !== null);
  if (first === undefined) return { merged: readers.length > 0 ? null : undefined, changed: false, conflict: false };
  const value = slot(first);
  const conflict = readers.some((system) => slot(system) !== null && slot(system) !== value);
  return { merged: value, changed: false, conflict };
}

/** The system whose record changed last (the field's replaced value, when it stands for the field); a tie goes to the first in priority order. */
function newest(input: Pick<MergeInput, 'systems' | 'sides'>, candidates: SystemName[], name: string): SystemName {
  const at = (system: SystemName) => input.sides[system]?.replaced?.[name]?.at ?? input.sides[system]?.modifiedAt ?? -Infinity;
  let best = candidates[0] as SystemName;
  for (const system of candidates) {
    if (at(system) > at(best)) best = system;
  }
  return best;
}

export type { FieldMapping };
