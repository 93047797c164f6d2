import { ApplicationFailure } from '@temporalio/workflow';
import type { Lookup } from '../activities/store-activities';
import { likelyDuplicateOf, othersOf } from '../domain/duplicates';
import { linkOf, type Entity } from '../domain/entity';
import { hubSystem, type HubSettings } from '../domain/hub';
import type { Lane } from '../domain/lane';
import type { ReplacedValues } from '../domain/merge';
import { ownWritesOf, unsavedWritesStanding, type OwnWrite } from '../domain/own-writes';
import { findRecordsBy, foundLookupOf, recordFindsOf } from '../domain/pass-reads';
import type { PlanInput, PlannedWrite } from '../domain/plan';
import { REFERENCES, type CrmObject, type FieldValues, type RecordSnapshot, type SystemName, type WriteResult } from '../domain/records';
import { referenceValueOf, type ReferenceIndex } from '../domain/references';
import { writeByCommand } from './command-writes';
import { failureTypeOf } from './failure-cause';
import { crm, joinedCalls, store } from './pass-activities';
import { isPatched } from './patches';

// A pass's reads and writes of records in the systems, apart from the rule that decides what to write (sync-pass.ts).

/** `own`: the pass's own writes, recorded in the same local activity right before this write is sent (joinsOwnWrites). */
export async function writeRecord(input: PlanInput, write: PlannedWrite, lane: Lane, own?: OwnWrite[]): Promise<WriteResult> {
  if (hubSystem(input.settings, write.system)?.writesByCommand) return writeByCommand(input.settings, input.object, write, lane);
  const joined = own ? joinedCalls(lane) : null;
  if (write.operation === 'create') {
    if (joined && own) return joined.createRecordingOwnWrites(own, write.system, input.object, write.fields, write.links);
    return crm(write.system, lane).createRecord(input.object, write.fields, write.links);
  }
  if (!write.id) throw ApplicationFailure.nonRetryable('update without a record id', 'PlanError');
  if (joined && own) return joined.updateRecordingOwnWrites(own, write.system, input.object, write.id, write.fields, write.links, write.expected);
  return crm(write.system, lane).updateRecord(input.object, write.id, write.fields, write.links, write.expected);
}

/** A write kept as the hub's own first: in its own local activity where it joins them (joinsOwnWrites), else by a store call before it. */
export async function writeRecordingOwn(input: PlanInput, write: PlannedWrite, lane: Lane): Promise<WriteResult> {
  const own = ownWritesOf(input.object, [write]);
  if (own.length > 0 && joinsOwnWrites(input, [write], lane)) return writeRecord(input, write, lane, own);
  if (own.length > 0) await store.recordOwnWrites(own);
  try {
    return await writeRecord(input, write, lane);
  } catch (error) {
    await withdrawnIfRefused(input.object, write, error);
    throw error;
  }
}

const REFUSED_OWN_WRITES_WITHDRAWN = 'refused-own-writes-withdrawn';

/**
 * A write recorded as our own by a store call of its own, then refused by its check, never landed: it is taken back,
 * as the joined local activity takes back its own (withdrawOwnWrites says why).
 */
export async function withdrawnIfRefused(object: CrmObject, write: PlannedWrite, error: unknown): Promise<void> {
  if (failureTypeOf(error) !== 'StaleReadError' || !isPatched(REFUSED_OWN_WRITES_WITHDRAWN)) return;
  const own = ownWritesOf(object, [write]);
  if (own.length > 0) await store.withdrawOwnWrites(own);
}

/** A live pass's one target, written by a call (not a command), takes the own writes with it instead of a call of their own. */
export function joinsOwnWrites(input: PlanInput, targets: readonly PlannedWrite[], lane: Lane): boolean {
  const [only] = targets;
  return targets.length === 1 && only !== undefined && !hubSystem(input.settings, only.system)?.writesByCommand && joinedCalls(lane) !== null;
}

/**
 * What our unsaved writes still standing in the records replaced (MergeSide.replaced), by system: one call for each
 * system holding some, which is rare (a pass that wrote and never saved), so a pass pays nothing for it otherwise.
 */
export async function replacedByUnsavedWrites(
  object: CrmObject,
  entity: Entity | null,
  records: Record<SystemName, RecordSnapshot | null>,
  written: Record<SystemName, FieldValues | null>,
  lane: Lane,
): Promise<Record<SystemName, ReplacedValues | null>> {
  const standing = Object.entries(records).flatMap(([system, record]) => {
    const writes = unsavedWritesStanding(record, written[system], linkOf(entity, system));
    return writes ? [{ system, writes }] : [];
  });
  const answers = await Promise.all(standing.map(({ system, writes }) => crm(system, lane).valuesReplaced(object, [writes])));
  return Object.fromEntries(standing.map(({ system }, index) => [system, answers[index]?.[0] ?? null]));
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

export type Found = { entities: (Entity | null)[]; companies: Entity[]; written: Record<SystemName, FieldValues | null> };

/**
 * One store call for the entities of the records found elsewhere, of every company the contacts point at, and what
 * the hub last wrote to each of those records (by system).
 */
export async function lookupFound(source: RecordSnapshot, records: Record<SystemName, RecordSnapshot | null>): Promise<Found> {
  const request = foundLookupOf(source, records);
  return foundOf(source, records, await store.lookup(request.refs, request.companyRefs));
}

function foundOf(source: RecordSnapshot, records: Record<SystemName, RecordSnapshot | null>, found: Lookup): Found {
  const others = othersOf(source, records);
  return { ...found, written: Object.fromEntries(others.map((record, index) => [record.ref.system, found.written?.[index] ?? null])) };
}

/**
 * The entity's record in every other system that holds it (by its link, then by the cross-reference the source
 * holds, then by match keys where the system can match), and what the store holds of them (lookupFound).
 * `presumed`: records taken as their links last saw them instead (a live pass's, joined calls only), not read.
 */
export async function findWithLookup(
  settings: HubSettings,
  source: RecordSnapshot,
  entity: Entity | null,
  lane: Lane,
  presumed: RecordSnapshot[] = [],
): Promise<{ records: Record<SystemName, RecordSnapshot | null>; found: Found }> {
  const joined = joinedCalls(lane);
  if (!joined) {
    const records = await findRecords(settings, source, entity, lane);
    return { records, found: await lookupFound(source, records) };
  }
  const finds = recordFindsOf(settings, source, entity).filter((find) => !presumed.some((record) => record.ref.system === find.system));
  const result = await joined.findWithLookup(source, finds, presumed);
  // the source itself, not its copy, so that othersOf tells it from the others
  const records = { ...result.records, [source.ref.system]: source };
  for (const system of result.matched) {
    const match = records[system];
    if (match) refuseLikelyDuplicate(likelyDuplicateOf(source, match, null));
  }
  return { records, found: foundOf(source, records, result.lookup) };
}

async function findRecords(settings: HubSettings, source: RecordSnapshot, entity: Entity | null, lane: Lane): Promise<Record<SystemName, RecordSnapshot | null>> {
  const { records } = await findRecordsBy(
    source,
    recordFindsOf(settings, source, entity),
    { read: (ref) => crm(ref.system, lane).readRecord(ref), match: (system, object, keys) => crm(system, lane).findMatch(object, keys) },
    (match) => refuseLikelyDuplicate(likelyDuplicateOf(source, match, null)),
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
