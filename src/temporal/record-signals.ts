import { WorkflowClient } from '@temporalio/client';
import { createHash } from 'node:crypto';
import { workflowIdFor, type SystemName } from '../domain/records';
import {
  BACKFILL_PRIORITY,
  recordChangedSignal,
  TASK_QUEUES,
  WORKFLOW_TYPES,
  type BulkDelivery,
  type RecordChange,
  type RecordEvent,
  type RecordSyncOptions,
} from '../workflows/messages';
import { CURRENT_PATCH_GATE } from '../workflows/patch-gates';
import type { recordSyncWorkflow } from '../workflows/record-sync';
import { CrmObjectKey, CrmRecordIdKey, CrmSystemKey, SyncStatusKey } from './search-attributes';

/**
 * Hands one record change to its workflow (signalWithStart: starts it when not running). Resolves only once Temporal
 * has accepted the signal, so the caller may acknowledge the webhook.
 */
export async function signalRecordChange(client: WorkflowClient, change: RecordChange, options: RecordSyncOptions): Promise<void> {
  const { ref, event } = change;
  await client.signalWithStart<typeof recordSyncWorkflow, [RecordEvent]>(WORKFLOW_TYPES.recordSync, {
    workflowId: workflowIdFor(ref),
    // Started by bulk traffic, it runs on the load queue, whose worker takes a few tasks at a time (SYNC_LOAD_TASKS):
    // priority alone orders the server's queues, yet thousands of passes in the worker would still slow a person's
    // edit several times over, sharing its CPU and its store (bench/README.md, ingress).
    taskQueue: event.lane === 'load' ? TASK_QUEUES.syncLoad : TASK_QUEUES.sync,
    // the gate stamped here is what the run's patches follow, instead of a marker its first task would record
    args: [{ ref, options, gate: CURRENT_PATCH_GATE }],
    signal: recordChangedSignal,
    signalArgs: [event],
    // Started by bulk traffic, its workflow tasks too wait behind live sync's, not only its calls to the systems: a
    // burst of thousands of new record workflows would otherwise stand in front of a person's edit on the sync queue.
    ...(event.lane === 'load' ? { priority: { priorityKey: BACKFILL_PRIORITY } } : {}),
    typedSearchAttributes: [
      { key: CrmSystemKey, value: ref.system },
      { key: CrmObjectKey, value: ref.object },
      { key: CrmRecordIdKey, value: ref.id },
      { key: SyncStatusKey, value: 'pending' },
    ],
  });
}

/**
 * Signals a batch: one signal per record, however many of the batch's events name it (a system may send a creation
 * event plus one per property set; the workflow re-reads the record anyway), different records in parallel.
 * Rejects if any signal was not accepted.
 */
export async function signalRecordChanges(
  client: WorkflowClient,
  changes: RecordChange[],
  options: RecordSyncOptions,
  concurrency = 16,
): Promise<void> {
  const queue = changesPerRecord(changes);
  const errors: unknown[] = [];
  const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    // The batch fails whole on its first refused signal: the rest would only be sent again with the redelivery.
    for (let change = queue.shift(); change && !errors.length; change = queue.shift()) {
      try {
        await signalRecordChange(client, change, options);
      } catch (error) {
        errors.push(error);
      }
    }
  });
  await Promise.all(lanes);
  if (errors.length) throw errors[0];
}

/**
 * Hands a bulk delivery, one change per record (changesPerRecord), to Temporal in one call: a workflow that signals
 * its records (src/workflows/bulk-delivery.ts).
 * Resolves once Temporal has it, so the delivery may be acknowledged; the records' passes take the load lane. Its id
 * is a digest of what it names, so a delivery the system sends again while the first is still fanning out is the same
 * workflow (a later repeat signals again, which the records' workflows fold into their next pass).
 */
export async function startBulkDelivery(client: WorkflowClient, source: SystemName, perRecord: RecordChange[]): Promise<void> {
  const collapsed = perRecord.map(({ ref, event }) => ({ ref, event: { ...event, lane: 'load' as const } }));
  const delivery: BulkDelivery = { source, changes: collapsed };
  await client.start(WORKFLOW_TYPES.bulkDelivery, {
    workflowId: `bulk:${source}:${createHash('sha256').update(JSON.stringify(collapsed)).digest('base64url')}`,
    taskQueue: TASK_QUEUES.sync,
    args: [delivery],
    workflowIdConflictPolicy: 'USE_EXISTING',
    priority: { priorityKey: BACKFILL_PRIORITY },
  });
}

/** A delete outranks a create, which outranks a change: the strongest kind and the latest time stand for the batch. */
const KIND_RANK: Record<RecordEvent['kind'], number> = { change: 0, association: 0, create: 1, delete: 2 };

/** One change per record, whatever number of a delivery's events name it. */
export function changesPerRecord(changes: RecordChange[]): RecordChange[] {
  const byWorkflow = new Map<string, RecordChange>();
  for (const change of changes) {
    const id = workflowIdFor(change.ref);
    const seen = byWorkflow.get(id);
    if (!seen) {
      byWorkflow.set(id, change);
      continue;
    }
    const kind = KIND_RANK[change.event.kind] > KIND_RANK[seen.event.kind] ? change.event.kind : seen.event.kind;
    const latest = change.event.occurredAt >= seen.event.occurredAt ? change.event : seen.event;
    byWorkflow.set(id, { ref: change.ref, event: { ...latest, kind } });
  }
  return [...byWorkflow.values()];
}
