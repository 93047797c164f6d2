import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CrmActivities } from '../activities/crm-activities';
import type { StoreActivities } from '../activities/store-activities';
import type { Lane } from '../domain/lane';
import type { SystemName } from '../domain/records';
import { BACKFILL_PRIORITY, LIVE_PRIORITY, taskQueueFor } from './messages';

/** The activities a pass calls, shared by sync-pass.ts and pass-unlink.ts. */

/** System calls: retried with backoff forever (nothing accepted is lost); permanent errors come back non-retryable. */
const crmRetry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const proxies = new Map<string, CrmActivities>();
/**
 * Live sync comes first: a backfill's calls (priorityKey 5) share these queues and their rate limit, and wait. So do
 * the calls of a load pass (a record an initial load handed over): thousands of them must not stand in front of a
 * person's edit on a rate-limited queue any more than their commands on the shop's.
 */
export function crm(system: SystemName, lane: Lane = 'live'): CrmActivities {
  const key = `${lane}:${system}`;
  let proxy = proxies.get(key);
  if (!proxy) {
    const priorityKey = lane === 'load' ? BACKFILL_PRIORITY : LIVE_PRIORITY;
    // A killed worker's call is retried after the heartbeat timeout (the activities beat every 2 s while they run),
    // not after the 30 s a slow call may take.
    proxy = proxyActivities<CrmActivities>({ taskQueue: taskQueueFor(system), startToCloseTimeout: '30s', heartbeatTimeout: '8s', retry: crmRetry, priority: { priorityKey } });
    proxies.set(key, proxy);
  }
  return proxy;
}
export const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });
