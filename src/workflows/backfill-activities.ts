import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BackfillCrmActivities } from '../activities/backfill-crm-activities';
import type { BackfillHandoffActivities } from '../activities/backfill-handoff-activities';
import type { StoreActivities } from '../activities/store-activities';
import type { DuplicateSample } from '../domain/backfill-progress';
import { hubSystem, type HubSettings } from '../domain/hub';
import type { CrmObject, RecordRef, SystemName } from '../domain/records';
import type { FailureInput } from '../domain/failure';
import { BACKFILL_PRIORITY, TASK_QUEUES, taskQueueFor } from './messages';

/** Retried with backoff without an attempt limit, like live sync's calls: nothing listed is dropped. */
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
/** After live sync: same queues, same server-side rate limit, dispatched only when no live task waits. */
const priority = { priorityKey: BACKFILL_PRIORITY };
const proxies = new Map<SystemName, BackfillCrmActivities>();
function crmProxy(system: SystemName): BackfillCrmActivities {
  let proxy = proxies.get(system);
  if (!proxy) {
    proxy = proxyActivities<BackfillCrmActivities>({ taskQueue: taskQueueFor(system), startToCloseTimeout: '2 minutes', heartbeatTimeout: '15s', retry, priority });
    proxies.set(system, proxy);
  }
  return proxy;
}

export const backfillStore = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10s' } });
export const backfillHandoff = proxyActivities<BackfillHandoffActivities>({ taskQueue: TASK_QUEUES.sync, startToCloseTimeout: '1 minute', retry, priority });

/** What one page's batch pass collects besides its verdicts. */
export interface BatchScope {
  settings: HubSettings;
  from: SystemName;
  dryRun: boolean;
  /** creates go out before any match where the target refuses a create a match would have found (createsFirst) */
  createFirst: boolean;
  /** a system's batch activities; every call counts as one request of this page */
  crm(system: SystemName): BackfillCrmActivities;
  requests: Record<SystemName, number>;
  handOff: RecordRef[];
  failures: FailureInput[];
  duplicates: DuplicateSample[];
  companiesSynced: number;
  /** records whose create-first write found them already in the target (handed to live sync, which links them) */
  existedAtCreate: number;
}

export function createScope(settings: HubSettings, from: SystemName, dryRun: boolean, createFirst = false): BatchScope {
  const requests: Record<SystemName, number> = {};
  return {
    settings,
    from,
    dryRun,
    createFirst,
    requests,
    crm(system) {
      requests[system] = (requests[system] ?? 0) + 1;
      return crmProxy(system);
    },
    handOff: [],
    failures: [],
    duplicates: [],
    companiesSynced: 0,
    existedAtCreate: 0,
  };
}

/**
 * Whether this page creates `object` in `system` without matching there first. In an empty target (a first load)
 * that saves the match request of every page; a record the match would have found is refused by the create itself.
 */
export function createsFirst(scope: BatchScope, system: SystemName, object: CrmObject): boolean {
  return scope.createFirst && (hubSystem(scope.settings, system)?.createRefusesMatch ?? []).includes(object);
}
