import { crossRefsOf } from './echo';
import { linkOf, type Entity } from './entity';
import { hubSystem, systemsHolding, type HubSettings } from './hub';
import type { PlannedWrite, WritePlan } from './plan';
import { REFERENCES, type FieldValues, type RecordSnapshot, type SystemName } from './records';
import { referenceIdIn, referenceValueOf, type ReferenceIndex } from './references';

// A live pass plans from what each linked record held after the hub's last sync there, instead of reading it first:
// on a budget such as HubSpot's (100 requests per 10 s), a Zoho edit then costs the check and the write, not a read
// besides. What makes that safe is the check every update already makes right before it is sent (checked-update.ts):
// for a record the pass did not read, it compares every field the link holds, not only those written, so any change
// made there since the last sync (its own pass may still be on the way, or its event lost) refuses the write, and the
// pass is redone from fresh reads, as after any stale read.

/**
 * The entity's records in the other systems as their links last saw them, for those a pass may leave unread: linked at
 * a known version, written by calls (a command's answer comes later, with no check before it), and pointing at what
 * the source points at (`references`: the entities the source points at). Absent from the result, a system's record
 * is read as before.
 */
export function presumedRecords(settings: HubSettings, source: RecordSnapshot, entity: Entity, references: ReferenceIndex): RecordSnapshot[] {
  return systemsHolding(settings, source.ref.object).flatMap((system) => {
    if (system === source.ref.system || hubSystem(settings, system)?.writesByCommand) return [];
    const presumed = presumedRecord(settings, source, entity, system, references);
    return presumed ? [presumed] : [];
  });
}

function presumedRecord(settings: HubSettings, source: RecordSnapshot, entity: Entity, system: SystemName, references: ReferenceIndex): RecordSnapshot | null {
  const { object } = source.ref;
  const link = linkOf(entity, system);
  if (!link || link.version === null || link.modifiedAt === null) return null;
  const fields: FieldValues = { ...link.base };
  const record: RecordSnapshot = { ref: { system, object, id: link.recordId }, version: link.version, modifiedAt: link.modifiedAt, fields };
  for (const reference of REFERENCES[object]) {
    // a base without the reference: reads of that system do not say what the record points at
    if (!Object.hasOwn(fields, reference.field)) continue;
    const value = fields[reference.field] ?? null;
    // The check compares fields, not associations: a pass that would move the association (the source points
    // elsewhere now) reads the record, so that a change of it made there is merged, not overwritten.
    const sourceValue = referenceValueOf(source, reference, references);
    if (sourceValue !== undefined && sourceValue !== value) return null;
    const id = referenceIdIn(value, system, references);
    if (id === undefined) return null;
    record[reference.key] = id;
    delete fields[reference.field];
  }
  const crossRefs = crossRefsOf(settings.rules, entity, system, object);
  if (Object.keys(crossRefs).length > 0) record.crossRefs = crossRefs;
  return record;
}

/**
 * In a write's `expected`, the id of `system`'s record the written record holds in its cross-reference field: the check
 * compares it as it compares a field (heldValueOf). A canonical field name starts with a letter (schema/field-mapping.ts).
 */
const crossRefKey = (system: SystemName): string => `#crossRef:${system}`;
const CROSS_REF_PREFIX = crossRefKey('');

/** What `record` holds under a key of a write's `expected`: a field, or a cross-reference (crossRefKey). */
export function heldValueOf(record: RecordSnapshot, key: string): string | null {
  if (key.startsWith(CROSS_REF_PREFIX)) return record.crossRefs?.[key.slice(CROSS_REF_PREFIX.length)] ?? null;
  return record.fields[key] ?? null;
}

/** The plan with each update of a presumed record checked against everything its link holds (see above). */
export function checkedAgainstLinks(plan: WritePlan, presumed: readonly RecordSnapshot[]): WritePlan {
  const check = (write: PlannedWrite): PlannedWrite => {
    const record = presumed.find((p) => p.ref.system === write.system && p.ref.id === write.id);
    if (!record || write.operation !== 'update') return write;
    const expected: FieldValues = { ...record.fields };
    for (const [system, id] of Object.entries(record.crossRefs ?? {})) expected[crossRefKey(system)] = id;
    return { ...write, expected };
  };
  return { ...plan, targets: plan.targets.map(check), origin: plan.origin && check(plan.origin) };
}
