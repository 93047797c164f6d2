import type { CrmObject, FieldValues, MatchKeys, RecordLinks, RecordSnapshot, WriteResult } from '../domain/records';
import { updateChecked, updateManyChecked, type CheckedUpdateInput } from './checked-update';
import { createCallGatherer, type GathererOptions, type Settled } from './call-gatherer';
import type { BatchOutcome, CrmConnector, GatheredCall } from './types';

/** CrmConnector.get, answered through batch reads where several are asked at once. */
export type RecordReader = (object: CrmObject, id: string) => Promise<RecordSnapshot | null>;

/** CrmConnector's single-record calls that record passes make side by side, each gathered into its batch form. */
export interface BatchedCalls {
  read: RecordReader;
  /** with `expected`, checked against a read right before the write (CheckedUpdateInput) */
  update: (object: CrmObject, id: string, fields: FieldValues, links: RecordLinks, expected?: FieldValues) => Promise<WriteResult>;
  findMatch: (object: CrmObject, keys: MatchKeys) => Promise<RecordSnapshot | null>;
}

const settled = (outcome: BatchOutcome): Settled<WriteResult> => (outcome.ok ? { ok: true, value: outcome.result } : { ok: false, error: outcome.error });

/**
 * Reads: a batch is read record by record unless getMany costs fewer requests: not for a lone id, nor on HubSpot for
 * as many ids as getMany makes requests (it also reads each reference's associations, which a single GET carries
 * along), where the same number of requests would come one after the other through the pacer instead of side by
 * side. A record getMany leaves out is null, as get answers for an absent, archived or deleted record.
 * Updates (checked ones too) and matches: their batch forms cost no more requests than single calls from two records
 * on, and answer each record as the single call would (a refused record fails only its own caller, with the same typed
 * error).
 */
export function createBatchedCalls(connector: CrmConnector, options: GathererOptions = {}): BatchedCalls {
  const paced = (call: GatheredCall): GathererOptions => ({ ...(connector.awaitRequestSlot ? { awaitSlot: (object) => connector.awaitRequestSlot?.(call, object) ?? null } : {}), ...options });
  const read = createCallGatherer<string, RecordSnapshot | null>({
    keyOf: (id) => id,
    sameKey: 'share',
    one: (object, id) => connector.get(object, id),
    many: async (object, ids) => {
      const found = byAskedId(await connector.getMany(object, ids));
      return ids.map((id) => ({ ok: true, value: found.get(id) ?? null }));
    },
    singleCallsUpTo: (object) => connector.requestsPerGetMany?.(object) ?? 1,
  }, paced('read'));

  // The check's read goes with its write, as the single call's does: gathered with the pass's own reads instead, it
  // would wait for a gathering and a turn of its own, and widen the window in which a person's edit can be lost.
  const update = createCallGatherer<CheckedUpdateInput, WriteResult>({
    keyOf: (arg) => arg.id,
    sameKey: 'next-batch',
    one: (object, arg) => updateChecked(connector, object, arg),
    many: async (object, args) => (await updateManyChecked(connector, object, args)).map(settled),
    singleCallsUpTo: () => 1,
  }, paced('update'));

  const findMatch = createCallGatherer<MatchKeys, RecordSnapshot | null>({
    keyOf: (keys) => JSON.stringify([keys.email ?? null, keys.domain ?? null, keys.name ?? null]),
    sameKey: 'share',
    one: (object, keys) => connector.findMatch(object, keys),
    many: async (object, keys) => (await connector.findMatches(object, keys)).map((value) => ({ ok: true, value })),
    singleCallsUpTo: () => 1,
  }, paced('match'));

  return {
    read,
    update: (object, id, fields, links, expected) => update(object, { id, fields, links, expected }),
    findMatch,
  };
}

/**
 * Snapshots by the ids they answer: their own, and the ids merged into them, which a get by such an id answers with
 * the surviving record (HubSpot serves a merged-away id that way).
 */
function byAskedId(snapshots: RecordSnapshot[]): Map<string, RecordSnapshot> {
  const out = new Map<string, RecordSnapshot>();
  for (const snapshot of snapshots) for (const id of snapshot.mergedIds ?? []) out.set(id, snapshot);
  for (const snapshot of snapshots) out.set(snapshot.ref.id, snapshot);
  return out;
}
