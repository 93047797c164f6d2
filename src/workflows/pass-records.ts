import { ApplicationFailure } from '@temporalio/workflow';
import { likelyDuplicateOf, othersOf } from '../domain/duplicates';
import type { Entity } from '../domain/entity';
import { hubSystem, systemsHolding, type HubSettings } from '../domain/hub';
import type { Lane } from '../domain/lane';
import { matchKeysOf } from '../domain/mapping';
import type { PlanInput, PlannedWrite } from '../domain/plan';
import { REFERENCES, type CrmObject, type FieldValues, type RecordSnapshot, type SystemName, type WriteResult } from '../domain/records';
import { referencedRefsOf, referenceValueOf, type ReferenceIndex } from '../domain/references';
import { writeByCommand } from './command-writes';
import { crm, store } from './pass-activities';

// A pass's reads and writes of records in the systems, apart from the rule that decides what to write (sync-pass.ts).

export async function writeRecord(input: PlanInput, write: PlannedWrite, lane: Lane): Promise<WriteResult> {
  if (hubSystem(input.settings, write.system)?.writesByCommand) return writeByCommand(input.settings, input.object, write, lane);
  if (write.operation === 'create') return crm(write.system, lane).createRecord(input.object, write.fields, write.links);
  if (!write.id) throw ApplicationFailure.nonRetryable('update without a record id', 'PlanError');
  return crm(write.system, lane).updateRecord(input.object, write.id, write.fields, write.links, write.expected);
}

/** The records with a pointer to `value` (of `object`) made unknown, so the plan neither writes nor needs it. */
export function withoutReference(
  records: Record<SystemName, RecordSnapshot | null>,
  object: CrmObject,
  target: CrmObject,
  value: string,
  references: ReferenceIndex,
): Record<SystemName, RecordSnapshot | null> {
  const reference = REFERENCES[object].find((r) => r.object === target);
  if (!reference) return records;
  return Object.fromEntries(
    Object.entries(records).map(([system, record]) => {
      if (!record || referenceValueOf(record, reference, references) !== value) return [system, record];
      const { [reference.key]: _gone, ...rest } = record;
      return [system, rest];
    }),
  );
}

/**
 * One store call for the entities of the records found elsewhere, of every company the contacts point at, and what
 * the hub last wrote to each of those records (by system).
 */
export async function lookupFound(
  source: RecordSnapshot,
  records: Record<SystemName, RecordSnapshot | null>,
): Promise<{ entities: (Entity | null)[]; companies: Entity[]; written: Record<SystemName, FieldValues | null> }> {
  const others = othersOf(source, records);
  const found = await store.lookup(others.map((record) => record.ref), referencedRefsOf(Object.values(records)));
  return { ...found, written: Object.fromEntries(others.map((record, index) => [record.ref.system, found.written?.[index] ?? null])) };
}

/**
 * The entity's record in every other system that holds it: by its link, then by the cross-reference the source
 * holds, then by match keys where the system can match.
 */
export async function findRecords(settings: HubSettings, source: RecordSnapshot, entity: Entity | null, lane: Lane): Promise<Record<SystemName, RecordSnapshot | null>> {
  const records: Record<SystemName, RecordSnapshot | null> = { [source.ref.system]: source };
  const { object } = source.ref;
  await Promise.all(
    systemsHolding(settings, object)
      .filter((system) => system !== source.ref.system)
      .map(async (system) => {
        const knownId = entity?.links[system]?.recordId ?? source.crossRefs?.[system];
        const linked = knownId ? await crm(system, lane).readRecord({ system, object, id: knownId }) : null;
        const canMatch = hubSystem(settings, system)?.canMatch ?? false;
        const match = !linked && canMatch ? await crm(system, lane).findMatch(object, matchKeysOf(object, source.fields)) : null;
        if (match) refuseLikelyDuplicate(likelyDuplicateOf(source, match, null));
        records[system] = linked ?? match;
      }),
  );
  return records;
}

export function refuseLikelyDuplicate(reason: string | null): void {
  if (!reason) return;
  throw ApplicationFailure.nonRetryable(`likely duplicate: ${reason}`, 'LikelyDuplicate', {
    category: 'duplicate',
    fields: [{ field: 'record', reason }],
    operation: 'link',
  });
}
