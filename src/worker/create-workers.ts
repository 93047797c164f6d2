import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import { createBackfillCrmActivities } from '../activities/backfill-crm-activities';
import { createCrmActivities } from '../activities/crm-activities';
import { createFanOutActivities } from '../activities/fan-out-activities';
import { createJoinedPassActivities } from '../activities/joined-pass-activities';
import { createStoreActivities } from '../activities/store-activities';
import type { AppConfig } from '../config';
import type { HubSettings } from '../domain/hub';
import type { ConnectedSystem } from '../runtime/services';
import type { SyncStore } from '../store/types';
import { recordSyncOptions } from '../runtime/sync-options';
import { localCrmActivity, TASK_QUEUES, taskQueueFor } from '../workflows/messages';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  /** our workflows, bundled ahead (cachedWorkflowBundle): webpack at every start would take seconds */
  workflowBundle: { code: string } | { codePath: string };
  config: AppConfig;
  systems: readonly ConnectedSystem[];
  store: SyncStore;
  settings: HubSettings;
  /** activities of other concerns (reports, backfill hand-off) registered on the sync queue */
  extraActivities?: object;
  dataConverter?: WorkerOptions['dataConverter'];
}

/**
 * How long a workflow task waits on the sticky queue of the worker that last ran its workflow before the server hands
 * it to any worker (which then replays the history). A live worker takes a sticky task within milliseconds, so this
 * only matters when that worker died or stalled: it is how long its records wait after a crash (the SDK default is
 * 10 s). 3 s keeps that short; the price, a replay whenever a busy worker takes longer than 3 s to reach a task, is
 * small for our histories (an entity workflow continues as new every SYNC_MAX_PASSES_PER_RUN passes).
 */
const STICKY_QUEUE_TIMEOUT: Duration = '3s';

/**
 * Bulk deliveries fanned out at once per worker process, each with up to 16 signals in flight: few, so that a burst
 * does not crowd out live edits' signals and workflow tasks on the same Temporal server. The rest wait on the fan-out
 * queue, durably. On the 2-core bench machine, with thousands of record workflows running their passes on the same dev
 * server, this signalled 40-90 records a second (bench/README.md); fewer at once (1 delivery, 4 signals) left a person's
 * edits during the fan-out as slow (p99 3.7 s against 3.9 s) and only drained the backlog later.
 */
const FAN_OUT_CONCURRENCY = 2;

export interface SyncWorkers {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * One worker per task queue: the sync queue runs workflows, store activities and live passes' CRM calls (local
 * activities); the load queue the same for record workflows started by bulk traffic, a few tasks at a time, so that a
 * backlog of thousands of passes never takes the whole process (its CPU, its store) from live sync's workflow tasks
 * and local activities; the fan-out queue a bulk delivery's signals; each system's queue runs only calls to that
 * system (backfills', load passes'), with `maxTaskQueueActivitiesPerSecond` so that all workers together stay within
 * its limit.
 */
export async function createSyncWorkers(deps: WorkerDeps): Promise<SyncWorkers> {
  const common = { connection: deps.connection, namespace: deps.namespace, dataConverter: deps.dataConverter };
  // one instance per system for its queue and the passes' local activities alike, so that their calls gather together
  const crmActivities = new Map(deps.systems.map(({ definition, connector }) => [definition.name, createCrmActivities(connector)]));
  const localCrmActivities = Object.fromEntries(
    [...crmActivities].flatMap(([system, activities]) => Object.entries(activities).map(([call, fn]) => [localCrmActivity(system, call), fn])),
  );
  const storeActivities = createStoreActivities(deps.store, deps.settings);
  const workflowWorker = {
    ...common,
    workflowBundle: deps.workflowBundle,
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    activities: { ...storeActivities, ...localCrmActivities, ...createJoinedPassActivities(crmActivities, storeActivities), ...deps.extraActivities },
  };
  const workers = await Promise.all([
    // A live pass runs its CRM calls and store queries as local activities inside its workflow task, holding the task's
    // slot while it waits on them. With the SDK's 40 slots, 50 edits/s filled them all: the tasks behind waited 20-30 s
    // in the server's backlog (bench/README.md) while the CPU still had room.
    Worker.create({
      ...workflowWorker,
      taskQueue: TASK_QUEUES.sync,
      maxConcurrentWorkflowTaskExecutions: deps.config.sync.liveTasks,
      maxConcurrentLocalActivityExecutions: 2 * deps.config.sync.liveTasks,
    }),
    Worker.create({
      ...workflowWorker,
      taskQueue: TASK_QUEUES.syncLoad,
      maxConcurrentWorkflowTaskExecutions: deps.config.sync.loadTasks,
      maxConcurrentLocalActivityExecutions: 2 * deps.config.sync.loadTasks,
    }),
    Worker.create({
      ...common,
      taskQueue: TASK_QUEUES.fanOut,
      activities: createFanOutActivities(recordSyncOptions(deps.config)),
      maxConcurrentActivityTaskExecutions: FAN_OUT_CONCURRENCY,
    }),
    ...deps.systems.map(({ definition, connector, extraActivities }) =>
      Worker.create({
        ...common,
        taskQueue: taskQueueFor(definition.name),
        activities: { ...crmActivities.get(definition.name), ...createBackfillCrmActivities(connector), ...extraActivities },
        maxTaskQueueActivitiesPerSecond: definition.activitiesPerSecond(deps.config),
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
