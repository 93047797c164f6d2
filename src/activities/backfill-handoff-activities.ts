import { Context } from '@temporalio/activity';
import type { RecordRef } from '../domain/records';
import { signalRecordChanges } from '../temporal/record-signals';
import type { RecordSyncOptions } from '../workflows/messages';

/** The backfill's side of live sync: handing over the records a page cannot settle. */
export function createBackfillHandoffActivities(syncOptions: RecordSyncOptions) {
  return {
    /**
     * Records a backfill page cannot settle cleanly (live sync touched them, a CRM refused one record of a batch for
     * a reason other than its data, a contact whose company must be created first) go to their own record workflow,
     * exactly as a webhook would send them: the same per-record sync path, and the backfill never waits on one record.
     */
    async backfillHandToLive(refs: RecordRef[]): Promise<void> {
      const occurredAt = Date.now();
      const changes = refs.map((ref) => ({ ref, event: { kind: 'change' as const, occurredAt, eventId: 'backfill' } }));
      await signalRecordChanges(Context.current().client.workflow, changes, syncOptions);
    },
  };
}

export type BackfillHandoffActivities = ReturnType<typeof createBackfillHandoffActivities>;
