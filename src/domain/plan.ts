import type { Entity } from './entity';
import type { FieldProblem } from './field-problem';
import type { HubSettings } from './hub';
import { systemsHolding } from './hub';
import { crossReferenceField, holdsOnItsOwn, mappingsOf, readsFrom } from './mapping';
import { mergeField, mergeRecords, type MergeSide, type ReplacedValues } from './merge';
import { REFERENCES, type CrmObject, type FieldValues, type RecordLinks, type RecordSnapshot, type SystemName } from './records';
import { referenceIdIn, referenceValueOf, type ReferenceIndex } from './references';
import { validateFor } from './validation';

export interface PlanInput {
  settings: HubSettings;
  object: CrmObject;
  /** the system whose record this pass is about */
  origin: SystemName;
  entity: Entity | null;
  /** every system holding the object: its record as read now, or null when it has none */
  records: Record<SystemName, RecordSnapshot | null>;
  /** the entities the records in `records` point at (a contact's company, a deal's contact) */
  references: ReferenceIndex;
  /** systems the entity is created in whatever their holds rule says (a company a contact there needs) */
  forceCreate: SystemName[];
  /** see MergeInput.emptyIsHeld: false replays workflow histories from before the fix */
  emptyIsHeld?: boolean;
  /** per system, the last value the hub wrote to each field of its record (MergeSide.written); absent in older histories */
  written?: Record<SystemName, FieldValues | null>;
  /** per system, what its fields held before our unsaved writes there (MergeSide.replaced); absent in older histories */
  replaced?: Record<SystemName, ReplacedValues | null>;
}

export interface PlannedWrite {
  system: SystemName;
  operation: 'create' | 'update';
  /** the record to update; null for a create */
  id: string | null;
  fields: FieldValues;
  links: RecordLinks;
  /** the values this plan read for the fields it writes: an update is refused if they changed since (lost update) */
  expected: FieldValues;
}

export type WritePlan = { action: 'write'; merged: FieldValues; targets: PlannedWrite[]; origin: PlannedWrite | null };

export type Plan =
  | { action: 'skip'; reason: string }
  /** a record was read before the version its link records: read again */
  | { action: 'stale'; system: SystemName }
  | { action: 'invalid'; target: SystemName; operation: 'create' | 'update'; problems: FieldProblem[] }
  /** a record this one points at (`value`, of `object`) has no record in `target` yet: sync it there first */
  | { action: 'needs-reference'; target: SystemName; object: CrmObject; value: string }
  | WritePlan;

/**
 * Times are only comparable at the coarsest precision any system stamps with (Zoho: the second): two edits within
 * the same second are a tie, which the first system in priority order wins.
 */
export function toCommonPrecision(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

function atCommonPrecision(replaced: ReplacedValues | null | undefined): ReplacedValues | null {
  return replaced ? Object.fromEntries(Object.entries(replaced).map(([field, { value, at }]) => [field, { value, at: toCommonPrecision(at) }])) : null;
}

/**
 * What one pass writes where: merge every record against its link's base, decide which systems get the entity
 * created (holds rules), validate each write, resolve what the record points at (a contact's company) in each system. Pure: the live pass
 * and a backfill page both run it, in workflow code.
 */
export function planPass(input: PlanInput): Plan {
  const { settings, object, origin, entity, records, references } = input;
  const rules = settings.rules;
  const systems = systemsHolding(settings, object);
  for (const system of systems) {
    const record = records[system];
    const link = entity?.links[system];
    if (record && link?.recordId === record.ref.id && link.modifiedAt !== null && record.modifiedAt < link.modifiedAt) return { action: 'stale', system };
  }
  const sides: Record<SystemName, MergeSide | null> = {};
  const linkBases: Record<SystemName, FieldValues | null> = {};
  for (const system of systems) {
    const record = records[system];
    sides[system] = record
      ? { fields: valuesHeld(record, references), modifiedAt: toCommonPrecision(record.modifiedAt), written: input.written?.[system] ?? null, replaced: atCommonPrecision(input.replaced?.[system]) }
      : null;
    linkBases[system] = entity?.links[system]?.base ?? null;
  }
  const mergeInput = { rules, object, systems, base: entity?.base ?? null, linkBases, sides, emptyIsHeld: input.emptyIsHeld };
  const result = mergeRecords(mergeInput);
  const merged: FieldValues = { ...result.merged };
  // only systems that hold the referenced object say anything about a reference (Zoho's company of a contact), and
  // only those the hub reads this object from (HubSpot's deals are written, never read: the purchase says whose it is)
  const pointers = REFERENCES[object].map((reference) => {
    const holders = systemsHolding(settings, reference.object);
    const counts = (system: SystemName) => holders.includes(system) && mappingsOf(rules, object).some((mapping) => readsFrom(mapping, system));
    const value = mergeField(mergeInput, reference.field, (_, slot, base) => slot !== undefined && base !== undefined && slot !== base, counts).merged;
    if (value !== undefined) merged[reference.field] = value;
    return { reference, holders, value };
  });

  const targets: PlannedWrite[] = [];
  let originWrite: PlannedWrite | null = null;
  for (const system of systems) {
    const record = records[system] ?? null;
    const creating = record === null;
    if (creating && !holdsOnItsOwn(rules, system, object, merged) && !input.forceCreate.includes(system)) continue;
    const patch = result.patches[system] ?? {};
    const fields = creating ? nonEmpty(patch) : patch;
    const problems = validateFor(rules, system, object, fields, { creating, record: result.merged });
    if (problems.length > 0) return { action: 'invalid', target: system, operation: creating ? 'create' : 'update', problems };

    const links: RecordLinks = {};
    const crossRefs = crossRefsFor(input, system);
    if (Object.keys(crossRefs).length > 0) links.crossRefs = crossRefs;
    for (const { reference, holders, value } of pointers) {
      if (value === undefined || !holders.includes(system) || value === (record ? (referenceValueOf(record, reference, references) ?? null) : null)) continue;
      const id = referenceIdIn(value, system, references);
      if (id === undefined) return { action: 'needs-reference', target: system, object: reference.object, value: value as string };
      links[reference.key] = id;
    }
    if (!creating && Object.keys(fields).length === 0 && Object.keys(links).length === 0) continue;
    const expected: FieldValues = {};
    if (record) for (const field of Object.keys(fields)) expected[field] = record.fields[field] ?? null;
    const write: PlannedWrite = { system, operation: creating ? 'create' : 'update', id: record?.ref.id ?? null, fields, links, expected };
    if (system === origin) originWrite = write;
    else targets.push(write);
  }
  const reached = systems.some((system) => system !== origin && (records[system] || targets.some((t) => t.system === system)));
  if (!reached) return { action: 'skip', reason: `no other system holds this ${object}` };
  return { action: 'write', merged, targets, origin: originWrite };
}

/**
 * The ids of the entity's other records that `system` should hold in its cross-reference fields and does not yet:
 * those known before the pass. The origin is written last and also learns the ids just created (originAfter).
 */
function crossRefsFor(input: PlanInput, system: SystemName): Record<SystemName, string> {
  const refs: Record<SystemName, string> = {};
  const held = input.records[system]?.crossRefs ?? {};
  for (const [other, record] of Object.entries(input.records)) {
    if (other === system || !record || !crossReferenceField(input.settings.rules, system, other, input.object)) continue;
    if (held[other] !== record.ref.id) refs[other] = record.ref.id;
  }
  return refs;
}

/** What a record holds, as the merge compares it: its canonical fields and what it points at (where the read says). */
export function valuesHeld(record: RecordSnapshot, references: ReferenceIndex): FieldValues {
  const values: FieldValues = { ...record.fields };
  for (const reference of REFERENCES[record.ref.object]) {
    const value = referenceValueOf(record, reference, references);
    if (value !== undefined) values[reference.field] = value;
  }
  return values;
}

/** On create every non-empty merged value goes out; the patch already holds exactly what that system takes. */
function nonEmpty(patch: FieldValues): FieldValues {
  const fields: FieldValues = {};
  for (const [key, value] of Object.entries(patch)) if (value !== null && value !== undefined) fields[key] = value;
  return fields;
}
