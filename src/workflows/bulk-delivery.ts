import { proxyActivities } from '@temporalio/workflow';
import type { FanOutActivities } from '../activities/fan-out-activities';
import { TASK_QUEUES, type BulkDelivery } from './messages';

/**
 * Signals are only ever lost to Temporal being away, so they are retried without an attempt limit; a worker that dies
 * mid-way stops beating and the fan-out is redone elsewhere (a record signalled twice makes one pass).
 */
const { signalRecords } = proxyActivities<FanOutActivities>({
  taskQueue: TASK_QUEUES.fanOut,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * A bulk delivery (an import, a mass update), taken whole by the ingress in one start so that a burst of thousands of
 * events is acknowledged at the rate they arrive; its records' workflows are then signalled at the fan-out queue's
 * pace, and their passes wait behind live sync's.
 */
export async function bulkDelivery(delivery: BulkDelivery): Promise<void> {
  await signalRecords(delivery.changes);
}
