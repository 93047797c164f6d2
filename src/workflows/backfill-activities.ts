import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { BackfillCrmActivities } from '../activities/backfill-crm-activities';
import type { BackfillHandoffActivities } from '../activities/backfill-handoff-activities';
import type { BackfillStoreActivities } from '../activities/backfill-store-activities';
import type { DuplicateSample } from '../domain/backfill-progress';
import type { CrmSystem, RecordRef } from '../domain/records';
import type { FailureInput } from '../store/types';
import { BACKFILL_PRIORITY, TASK_QUEUES } from './messages';

/** Retried with backoff without an attempt limit, like live sync's calls: nothing listed is dropped. */
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
/** After live sync: same queues, same server-side rate limit, dispatched only when no live task waits. */
const priority = { priorityKey: BACKFILL_PRIORITY };
const crm: Record<CrmSystem, BackfillCrmActivities> = {
  hubspot: proxyActivities<BackfillCrmActivities>({ taskQueue: TASK_QUEUES.hubspot, startToCloseTimeout: '2 minutes', heartbeatTimeout: '15s', retry, priority }),
  zoho: proxyActivities<BackfillCrmActivities>({ taskQueue: TASK_QUEUES.zoho, startToCloseTimeout: '2 minutes', heartbeatTimeout: '15s', retry, priority }),
};

export const backfillStore = proxyLocalActivities<BackfillStoreActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10s' } });
export const backfillHandoff = proxyActivities<BackfillHandoffActivities>({ taskQueue: TASK_QUEUES.sync, startToCloseTimeout: '1 minute', retry, priority });

/** What one page's batch pass collects besides its verdicts. */
export interface BatchScope {
  from: CrmSystem;
  dryRun: boolean;
  /** a CRM's batch activities; every call counts as one request of this page */
  crm(system: CrmSystem): BackfillCrmActivities;
  requests: Record<CrmSystem, number>;
  handOff: RecordRef[];
  failures: FailureInput[];
  duplicates: DuplicateSample[];
  companiesSynced: number;
  /** companies of this page reported as failed (source id → why), so their contacts are reported too */
  failedCompanies: Map<string, string>;
}

export function createScope(from: CrmSystem, dryRun: boolean): BatchScope {
  const requests: Record<CrmSystem, number> = { hubspot: 0, zoho: 0 };
  return {
    from,
    dryRun,
    requests,
    crm(system) {
      requests[system] += 1;
      return crm[system];
    },
    handOff: [],
    failures: [],
    duplicates: [],
    companiesSynced: 0,
    failedCompanies: new Map(),
  };
}
