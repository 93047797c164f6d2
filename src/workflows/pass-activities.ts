import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CrmActivities } from '../activities/crm-activities';
import type { JoinedPassActivities } from '../activities/joined-pass-activities';
import type { StoreActivities } from '../activities/store-activities';
import type { Lane } from '../domain/lane';
import type { SystemName } from '../domain/records';
import { BACKFILL_PRIORITY, LIVE_PRIORITY, localCrmActivity, taskQueueFor } from './messages';
import { isPatched } from './patches';

/** The activities a pass calls, shared by sync-pass.ts and pass-unlink.ts. */

/** System calls: retried with backoff forever (nothing accepted is lost); permanent errors come back non-retryable. */
const crmRetry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const proxies = new Map<string, CrmActivities>();
/**
 * Live sync comes first: a backfill's calls (priorityKey 5) share these queues and their rate limit, and wait. So do
 * the calls of a load pass (a record an initial load handed over): thousands of them must not stand in front of a
 * person's edit on a rate-limited queue any more than their commands on the shop's.
 *
 * A live pass calls the CRMs in local activities instead: run by the worker that runs the pass, inside its workflow
 * task, they take no task-queue round trip (schedule, poll, complete, a new workflow task) per call, and the server
 * records a marker per call instead of three events and a workflow task. What the queues gave live calls, the
 * worker's own pacers give them too (each CRM's budget, live first), since local activities run in the same process
 * and reach the same connectors.
 */
export function crm(system: SystemName, lane: Lane = 'live'): CrmActivities {
  const local = lane === 'live' && isPatched('live-calls-run-locally');
  const key = `${local ? 'local' : lane}:${system}`;
  let proxy = proxies.get(key);
  if (!proxy) {
    proxy = local ? localCrm(system) : queuedCrm(system, lane);
    proxies.set(key, proxy);
  }
  return proxy;
}

function queuedCrm(system: SystemName, lane: Lane): CrmActivities {
  const priorityKey = lane === 'load' ? BACKFILL_PRIORITY : LIVE_PRIORITY;
  // A killed worker's call is retried after the heartbeat timeout (the activities beat every 2 s while they run),
  // not after the 30 s a slow call may take.
  return proxyActivities<CrmActivities>({ taskQueue: taskQueueFor(system), startToCloseTimeout: '30s', heartbeatTimeout: '8s', retry: crmRetry, priority: { priorityKey } });
}

/**
 * The worker registers each system's calls under the system's name (they share function names). A killed worker's
 * calls are run again with the workflow task, by the worker that takes it over.
 */
function localCrm(system: SystemName): CrmActivities {
  const calls = proxyLocalActivities<Record<string, CrmActivities[keyof CrmActivities]>>(localCrmOptions);
  return new Proxy({} as CrmActivities, { get: (_target, name) => calls[localCrmActivity(system, String(name))] });
}

// Retries after a longer wait go through a timer: a system down for an hour then costs a timer a minute, and its
// passes give their workflow task (and its slot) back between attempts, instead of keeping it open all along with
// a heartbeat task every 8 s.
const localCrmOptions = { startToCloseTimeout: '30s', retry: crmRetry, localRetryThreshold: '5s' } as const;
const joined = proxyLocalActivities<JoinedPassActivities>(localCrmOptions);

/**
 * A live pass's calls joined into one local activity each (a read with its store lookup, a write with the recording of
 * the pass's own writes); null where they are separate calls: a load pass (its CRM calls go through the systems'
 * queues) and runs started before the patch.
 */
export function joinedCalls(lane: Lane): JoinedPassActivities | null {
  return lane === 'live' && isPatched('live-calls-run-locally') && isPatched('pass-calls-joined') ? joined : null;
}

export const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });
