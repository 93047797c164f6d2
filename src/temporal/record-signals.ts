import { WorkflowClient } from '@temporalio/client';
import { workflowIdFor, type RecordRef } from '../domain/records';
import { recordChangedSignal, TASK_QUEUES, WORKFLOW_TYPES, type RecordEvent } from '../workflows/messages';
import type { recordSyncWorkflow, RecordSyncOptions } from '../workflows/record-sync';
import { CrmObjectKey, CrmRecordIdKey, CrmSystemKey, SyncStatusKey } from './search-attributes';

export interface RecordChange {
  ref: RecordRef;
  event: RecordEvent;
}

/**
 * Hands one record change to its workflow (signalWithStart: starts it when not running). Resolves only once Temporal
 * has accepted the signal, so the caller may acknowledge the webhook.
 */
export async function signalRecordChange(client: WorkflowClient, change: RecordChange, options: RecordSyncOptions): Promise<void> {
  const { ref, event } = change;
  await client.signalWithStart<typeof recordSyncWorkflow, [RecordEvent]>(WORKFLOW_TYPES.recordSync, {
    workflowId: workflowIdFor(ref),
    taskQueue: TASK_QUEUES.sync,
    args: [{ ref, options }],
    signal: recordChangedSignal,
    signalArgs: [event],
    typedSearchAttributes: [
      { key: CrmSystemKey, value: ref.system },
      { key: CrmObjectKey, value: ref.object },
      { key: CrmRecordIdKey, value: ref.id },
      { key: SyncStatusKey, value: 'pending' },
    ],
  });
}

/**
 * Signals a batch: changes to one record keep their order (one after the other), different records go in parallel.
 * Rejects if any signal was not accepted.
 */
export async function signalRecordChanges(
  client: WorkflowClient,
  changes: RecordChange[],
  options: RecordSyncOptions,
  concurrency = 16,
): Promise<void> {
  const byWorkflow = new Map<string, RecordChange[]>();
  for (const change of changes) {
    const id = workflowIdFor(change.ref);
    byWorkflow.set(id, [...(byWorkflow.get(id) ?? []), change]);
  }
  const queues = [...byWorkflow.values()];
  const errors: unknown[] = [];
  const lanes = Array.from({ length: Math.min(concurrency, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      try {
        for (const change of queue) await signalRecordChange(client, change, options);
      } catch (error) {
        errors.push(error);
      }
    }
  });
  await Promise.all(lanes);
  if (errors.length) throw errors[0];
}
