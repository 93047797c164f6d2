import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CrmActivities } from '../activities/crm-activities';
import type { StoreActivities } from '../activities/store-activities';
import type { SystemName } from '../domain/records';
import { LIVE_PRIORITY, taskQueueFor } from './messages';

/** The activities a pass calls, shared by sync-pass.ts and pass-unlink.ts. */

/** System calls: retried with backoff forever (nothing accepted is lost); permanent errors come back non-retryable. */
const crmRetry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const proxies = new Map<SystemName, CrmActivities>();
/** Live sync comes first: a backfill's calls (priorityKey 5) share these queues and their rate limit, and wait. */
export function crm(system: SystemName): CrmActivities {
  let proxy = proxies.get(system);
  if (!proxy) {
    proxy = proxyActivities<CrmActivities>({ taskQueue: taskQueueFor(system), startToCloseTimeout: '30s', retry: crmRetry, priority: { priorityKey: LIVE_PRIORITY } });
    proxies.set(system, proxy);
  }
  return proxy;
}
export const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });
