import { NativeConnection } from '@temporalio/worker';
import { loadConfig, type AppConfig } from './config';
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
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from './codec/data-converter';
import { createBackfillHandoffActivities } from './activities/backfill-handoff-activities';
import { createReportActivities } from './activities/report-activities';
import { recordSyncOptions } from './runtime/sync-options';
import { DEFAULT_HUBSPOT_BASE_URL, DEFAULT_ZOHO_BASE_URL } from './report/links';
import { ensureSearchAttributes } from './temporal/ensure-search-attributes';
import { ensureFailureReportSchedule } from './temporal/failure-report-schedule';
import { ensureZohoWatch, zohoWatchChannel } from './temporal/zoho-watch-start';

export interface RunningWorker {
  /** resolves when every worker has drained and stopped */
  done: Promise<void>;
  stop: () => Promise<void>;
}

export interface WorkerStartOptions {
  logger: Logger;
  services: Services;
  address: string;
  workflowBundle?: { code: string } | { codePath: string };
}

/** Connects to Temporal and runs the sync workers until stopped; stop() drains in-flight tasks first. */
export async function startWorker(config: AppConfig, options: WorkerStartOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const { connectors, store } = options.services;
  await Promise.all([connectors.hubspot.ensureSchema(), connectors.zoho.ensureSchema()]);
  const workers = await createSyncWorkers({
    connection,
    namespace: config.temporal.namespace,
    workflowBundle: options.workflowBundle,
    connectors,
    store,
    rules: config.rules,
    activitiesPerSecond: { hubspot: config.hubspot.activitiesPerSecond, zoho: config.zoho.activitiesPerSecond },
    zohoWatch: { client: connectors.zoho, channel: zohoWatchChannel(config) },
    dataConverter: createDataConverter(config.codecKeys),
    extraActivities: {
      ...createBackfillHandoffActivities(recordSyncOptions(config)),
      ...createReportActivities({
        store,
        mail: config.report.smtpUrl ? { smtpUrl: config.report.smtpUrl, from: config.report.from, to: config.report.to } : null,
        report: {
          webUiBaseUrl: config.temporal.webUrl,
          namespace: config.temporal.namespace,
          crmLinks: { hubspotPortalId: config.hubspot.portalId, hubspotBaseUrl: DEFAULT_HUBSPOT_BASE_URL, zohoBaseUrl: DEFAULT_ZOHO_BASE_URL },
        },
      }),
    },
  });
  const done = workers.run().finally(() => connection.close());
  await prepareNamespace(config, options.address);
  options.logger.info({ address: options.address }, 'worker polling task queues crm-sync, crm-hubspot, crm-zoho');
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

/** What the workers need from the namespace: search attributes, the Zoho channel kept alive, the report Schedule. */
async function prepareNamespace(config: AppConfig, address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    await ensureZohoWatch(client, config);
    await ensureFailureReportSchedule(client, config.report.cron);
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
    const services = await openServices(config, metrics.observer);
    const worker = await startWorker(config, { logger, services, address: config.temporal.address ?? '127.0.0.1:7233' });
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
