import { Context } from '@temporalio/activity';
import { signalRecordChanges } from '../temporal/record-signals';
import type { RecordChange, RecordSyncOptions } from '../workflows/messages';
import { heartbeating } from './heartbeating';

/** Against the bulk delivery's heartbeat timeout (src/workflows/bulk-delivery.ts). */
const FAN_OUT_HEARTBEAT_EVERY_MS = 5_000;

/** The fan-out queue's activities: a bulk delivery's signals to its records' workflows. */
export function createFanOutActivities(syncOptions: RecordSyncOptions) {
  return heartbeating(
    {
      /** Exactly what the ingress does for a small delivery (signalWithStart per record), only later. */
      async signalRecords(changes: RecordChange[]): Promise<void> {
        await signalRecordChanges(Context.current().client.workflow, changes, syncOptions);
      },
    },
    FAN_OUT_HEARTBEAT_EVERY_MS,
  );
}

export type FanOutActivities = ReturnType<typeof createFanOutActivities>;
