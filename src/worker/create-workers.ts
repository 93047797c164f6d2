import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createBackfillCrmActivities } from '../activities/backfill-crm-activities';
import { createBackfillStoreActivities } from '../activities/backfill-store-activities';
import { createCrmActivities } from '../activities/crm-activities';
import { createStoreActivities } from '../activities/store-activities';
import { createWatchActivities, type WatchChannel } from '../activities/watch-activities';
import type { SyncRules } from '../config/sync-rules';
import type { CrmConnector } from '../connectors/types';
import type { ZohoWatchClient } from '../connectors/zoho/watch';
import type { CrmSystem } from '../domain/records';
import type { SyncStore } from '../store/types';
import { TASK_QUEUES } from '../workflows/messages';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  /** a prebuilt bundle (tests, production) or undefined to bundle src/workflows at start */
  workflowBundle?: { code: string } | { codePath: string };
  connectors: Record<CrmSystem, CrmConnector>;
  store: SyncStore;
  rules: SyncRules;
  /** server-side rate limit of each CRM's activity task queue */
  activitiesPerSecond: Record<CrmSystem, number>;
  zohoWatch: { client: ZohoWatchClient; channel: WatchChannel };
  /** activities of other concerns (watch channel, reports, backfill) registered on the sync queue */
  extraActivities?: object;
  dataConverter?: WorkerOptions['dataConverter'];
}

export interface SyncWorkers {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * One worker per task queue: the sync queue runs workflows and store activities; each CRM's queue runs only calls
 * to that CRM, with `maxTaskQueueActivitiesPerSecond` so that all workers together stay within the CRM's limit.
 */
export async function createSyncWorkers(deps: WorkerDeps): Promise<SyncWorkers> {
  const common = { connection: deps.connection, namespace: deps.namespace, dataConverter: deps.dataConverter };
  const workflowSource = deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: require.resolve('../workflows') };
  const workers = await Promise.all([
    Worker.create({
      ...common,
      ...workflowSource,
      taskQueue: TASK_QUEUES.sync,
      activities: { ...createStoreActivities(deps.store, deps.rules), ...createBackfillStoreActivities(deps.store, deps.rules), ...deps.extraActivities },
    }),
    ...(['hubspot', 'zoho'] as const).map((system) =>
      Worker.create({
        ...common,
        taskQueue: TASK_QUEUES[system],
        activities: {
          ...createCrmActivities(deps.connectors[system]),
          ...createBackfillCrmActivities(deps.connectors[system]),
          ...(system === 'zoho' ? createWatchActivities(deps.zohoWatch.client, deps.zohoWatch.channel) : {}),
        },
        maxTaskQueueActivitiesPerSecond: deps.activitiesPerSecond[system],
      }),
    ),
  ]);
  return {
    run: async () => {
      await Promise.all(workers.map((worker) => worker.run()));
    },
    shutdown: () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
