import { NativeConnection } from '@temporalio/worker';
import { loadConfig, temporalAddress, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';
import express from 'express';
import { createServer } from 'node:http';
import { metricsRoute } from './ingress/metrics-route';
import { runEntryPoint } from './runtime/entry-point';
import { closeServer, listen } from './runtime/http-server';
import { fetchSdkMetrics, installTemporalRuntime } from './runtime/temporal-runtime';
import { createWorkerMetrics } from './worker/worker-metrics';
import { openServices, type Services } from './runtime/services';
import { createSyncWorkers } from './worker/create-workers';
import { cachedWorkflowBundle, workflowBundleDir } from './worker/workflow-bundle';
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from './codec/data-converter';
import { createBackfillHandoffActivities } from './activities/backfill-handoff-activities';
import { createReconcileActivities } from './activities/reconcile-activities';
import { createReportActivities } from './activities/report-activities';
import { recordSyncOptions } from './runtime/sync-options';
import { checkRulesAgainst, enabledSystems, hubSystems, objectsOf, reportSystems } from './systems/registry';
import type { SystemDefinition } from './systems/types';
import { ensureSearchAttributes } from './temporal/ensure-search-attributes';
import { ensureFailureReportSchedule } from './temporal/failure-report-schedule';
import { ensureReconcileSchedules } from './temporal/reconcile-schedules';
import { workerTaskQueues } from './workflows/messages';

export interface RunningWorker {
  /** resolves when every worker has drained and stopped */
  done: Promise<void>;
  stop: () => Promise<void>;
}

export interface WorkerStartOptions {
  logger: Logger;
  /** the store and a connector per registered system (openServices); its systems are the ones the worker serves */
  services: Services;
  address: string;
  /** a bundle of one's own (tests, benchmarks); else the cached one under DATA_DIR, built when the sources changed */
  workflowBundle?: { code: string } | { codePath: string };
}

/** Connects to Temporal and runs the sync workers until stopped; stop() drains in-flight tasks first. */
export async function startWorker(config: AppConfig, options: WorkerStartOptions): Promise<RunningWorker> {
  const { systems, store } = options.services;
  const definitions = systems.map((system) => system.definition);
  checkRulesAgainst(definitions, config.rules);
  await Promise.all(systems.map((system) => system.connector.ensureSchema()));
  const connection = await NativeConnection.connect({ address: options.address });
  const workers = await createSyncWorkers({
    connection,
    namespace: config.temporal.namespace,
    workflowBundle: options.workflowBundle ?? (await cachedWorkflowBundle({ dir: workflowBundleDir(config.dataDir), logger: options.logger })),
    config,
    systems,
    store,
    settings: { rules: config.rules, systems: hubSystems(definitions), commandReplyTimeoutMs: config.sync.commandReplyTimeoutMs },
    dataConverter: createDataConverter(config.codecKeys),
    extraActivities: {
      ...createBackfillHandoffActivities(recordSyncOptions(config)),
      ...createReconcileActivities(recordSyncOptions(config)),
      ...createReportActivities({
        store,
        mail: config.report.smtpUrl ? { smtpUrl: config.report.smtpUrl, from: config.report.from, to: config.report.to } : null,
        report: {
          webUiBaseUrl: config.temporal.webUrl,
          namespace: config.temporal.namespace,
          systems: reportSystems(definitions, config),
        },
      }),
    },
  });
  const done = workers.run().finally(() => connection.close());
  await prepareNamespace(config, options.address, definitions);
  options.logger.info({ address: options.address, taskQueues: taskQueuesOf(definitions) }, 'worker polling its task queues');
  return {
    done,
    stop: async () => {
      workers.shutdown();
      const drained = await Promise.race([done.then(() => true), delay(DRAIN_DEADLINE_MS).then(() => false)]);
      if (!drained) options.logger.warn({ deadlineMs: DRAIN_DEADLINE_MS }, 'worker did not drain in time; stopping anyway');
    },
  };
}

/**
 * How long stop() waits for in-flight tasks. A drain can only finish while Temporal answers: Ctrl-C also stops the
 * embedded dev server at once, and completions retried against it would hold the exit for many seconds. What did
 * not complete is retried by Temporal after the timeouts, nothing is lost.
 */
const DRAIN_DEADLINE_MS = 8_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function taskQueuesOf(systems: readonly SystemDefinition[]): string[] {
  return workerTaskQueues(systems.map((system) => system.name));
}

/** What the workers need from the namespace: search attributes, what each system prepares (channels), the Schedules. */
async function prepareNamespace(config: AppConfig, address: string, systems: readonly SystemDefinition[]): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    for (const system of systems) await system.prepare?.(client, config);
    await ensureFailureReportSchedule(client, config.report.cron);
    const targets = systems.flatMap((system) => objectsOf(system).map((object) => ({ system: system.name, object })));
    await ensureReconcileSchedules(client, targets, config.reconcile);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runEntryPoint('worker', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'worker');
    installTemporalRuntime(logger, config.metrics.sdkAddress);
    const metrics = createWorkerMetrics();
    const services = await openServices(config, enabledSystems(config), metrics.observer);
    const worker = await startWorker(config, { logger, services, address: temporalAddress(config) });
    const sdkAddress = config.metrics.sdkAddress;
    const app = express().use(metricsRoute(config.adminToken, [metrics.registry], sdkAddress ? [() => fetchSdkMetrics(sdkAddress)] : []));
    const metricsServer = createServer(app);
    await listen(metricsServer, config.metrics.workerPort, config.api.host);
    return async () => {
      await closeServer(metricsServer);
      await worker.stop();
      await services.close();
    };
  });
}
