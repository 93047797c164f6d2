import { Context } from '@temporalio/activity';
import type { Lane } from '../domain/lane';
import type { RecordRef } from '../domain/records';
import { signalRecordChanges } from '../temporal/record-signals';
import type { RecordSyncOptions } from '../workflows/messages';

/**
 * Exactly what an ingress does with an event (signalWithStart, one signal per record): the record workflow reads the
 * record itself, so a hand-over and a late event for the same change make one pass. `eventId` names who handed it;
 * `lane` which queues the pass's commands take.
 */
export async function handToLive(refs: RecordRef[], eventId: string, syncOptions: RecordSyncOptions, lane: Lane = 'live'): Promise<void> {
  const occurredAt = Date.now();
  const changes = refs.map((ref) => ({ ref, event: { kind: 'change' as const, occurredAt, eventId, ...(lane === 'load' ? { lane } : {}) } }));
  await signalRecordChanges(Context.current().client.workflow, changes, syncOptions);
}

/** The backfill's side of live sync: handing over the records a page cannot settle. */
export function createBackfillHandoffActivities(syncOptions: RecordSyncOptions) {
  return {
    /**
     * Records a backfill page cannot settle cleanly (live sync touched them, a system refused one record of a batch for
     * a reason other than its data, a contact whose company must be created first) go to their own record workflow,
     * exactly as a webhook would send them: the same per-record sync path, and the backfill never waits on one record.
     * They are initial-load traffic: their commands take the load lane, behind every live one.
     */
    async backfillHandToLive(refs: RecordRef[]): Promise<void> {
      await handToLive(refs, 'backfill', syncOptions, 'load');
    },
  };
}

export type BackfillHandoffActivities = ReturnType<typeof createBackfillHandoffActivities>;
