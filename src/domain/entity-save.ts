import type { Entity, EntitySave, Link } from './entity';
import { crossReferenceField } from './mapping';
import { valuesHeld, type PlanInput, type PlannedWrite, type WritePlan } from './plan';
import { REFERENCES, type CrmObject, type FieldValues, type RecordSnapshot, type SystemName, type WriteResult } from './records';
import type { SyncRules } from './schema/sync-rules';

/** What became of each planned write: its result, or null when it did not happen (refused, or not attempted yet). */
export type WriteOutcomes = Record<SystemName, WriteResult | null>;

/**
 * The origin is written last, with the ids of the records this pass created in its cross-reference fields (so links
 * can be rebuilt from the systems alone). null when it has nothing to write.
 */
export function originAfter(rules: SyncRules, plan: WritePlan, origin: RecordSnapshot, outcomes: WriteOutcomes): PlannedWrite | null {
  const crossRefs: Record<SystemName, string | null> = { ...plan.origin?.links.crossRefs };
  for (const target of plan.targets) {
    const result = outcomes[target.system];
    if (result?.created && crossReferenceField(rules, origin.ref.system, target.system, origin.ref.object) && origin.crossRefs?.[target.system] !== result.id) {
      crossRefs[target.system] = result.id;
    }
  }
  if (!plan.origin && Object.keys(crossRefs).length === 0) return null;
  const base: PlannedWrite = plan.origin ?? { system: origin.ref.system, operation: 'update', id: origin.ref.id, fields: {}, links: {}, expected: {} };
  return Object.keys(crossRefs).length > 0 ? { ...base, links: { ...base.links, crossRefs } } : base;
}

/**
 * The entity's other records (not the origin's) that keep a cross-reference to a system where this pass created its
 * record: they were read, or written, before that record existed, so they learn its id in an update of their own, as
 * the origin does in originAfter (a new buyer's HubSpot contact, made by a deal's pass, and the buyer's Zoho contact).
 * A record whose planned write did not happen gets none: the next pass writes it in full.
 */
export function crossRefFollowUps(input: PlanInput, plan: WritePlan, outcomes: WriteOutcomes): PlannedWrite[] {
  const made = plan.targets.flatMap((write) => {
    const result = outcomes[write.system];
    return result?.created ? [{ system: write.system, id: result.id }] : [];
  });
  if (made.length === 0) return [];
  const writes: PlannedWrite[] = [];
  const systems = new Set([...Object.keys(input.records), ...plan.targets.map((write) => write.system)]);
  for (const system of systems) {
    if (system === input.origin) continue;
    const planned = plan.targets.some((write) => write.system === system);
    const id = planned ? outcomes[system]?.id : input.records[system]?.ref.id;
    if (!id) continue;
    const held = input.records[system]?.crossRefs ?? {};
    const crossRefs: Record<SystemName, string> = {};
    for (const other of made) {
      if (other.system !== system && held[other.system] !== other.id && crossReferenceField(input.settings.rules, system, other.system, input.object)) crossRefs[other.system] = other.id;
    }
    if (Object.keys(crossRefs).length > 0) writes.push({ system, operation: 'update', id, fields: {}, links: { crossRefs }, expected: {} });
  }
  return writes;
}

/**
 * The entity as a pass leaves it: the merged values agreed, and per system a link to its record whose base is what
 * that record holds now (what it held when read, with what this pass wrote there on top). A write that did not
 * happen leaves its system's base as the record held it, so a refused write never looks like an edit made there.
 */
export function entityAfter(input: PlanInput, plan: WritePlan, writes: readonly PlannedWrite[], outcomes: WriteOutcomes, expectedRevision: number | null): EntitySave {
  const links: Record<SystemName, Link> = {};
  for (const [system, record] of Object.entries(input.records)) {
    const write = writes.find((w) => w.system === system);
    const result = write ? (outcomes[system] ?? null) : null;
    if (!record && !result) continue;
    const held = record ? valuesHeld(record, input.references) : {};
    const base: FieldValues = result && write ? { ...held, ...written(write, plan.merged, input.object) } : held;
    links[system] = {
      recordId: result?.id ?? record?.ref.id ?? '',
      base,
      version: result?.version ?? record?.version ?? null,
      modifiedAt: result?.modifiedAt ?? record?.modifiedAt ?? null,
    };
  }
  return { id: input.entity?.id ?? null, object: input.object, base: plan.merged, links, expectedRevision };
}

/** The canonical values a write put there: its fields, and what it points at where it set the association. */
function written(write: PlannedWrite, merged: FieldValues, object: CrmObject): FieldValues {
  const values = { ...write.fields };
  for (const reference of REFERENCES[object]) if (write.links[reference.key] !== undefined) values[reference.field] = merged[reference.field] ?? null;
  return values;
}

/**
 * The entity with `system`'s link moved to `recordId`: a merge's surviving record takes the place of the one merged
 * into it. Its base stays (what differs in the survivor is synced as an edit made there); its version is unknown, so
 * no read of the survivor counts as stale against the merged record's.
 */
export function relinked(entity: Entity, system: SystemName, recordId: string): EntitySave {
  const link = entity.links[system];
  const links = link ? { ...entity.links, [system]: { ...link, recordId, version: null, modifiedAt: null } } : entity.links;
  return { id: entity.id, object: entity.object, base: entity.base, links, expectedRevision: entity.revision };
}
