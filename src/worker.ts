import { NativeConnection } from '@temporalio/worker';
import { loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';
import { runEntryPoint } from './runtime/entry-point';
import { openServices, type Services } from './runtime/services';
import { createSyncWorkers } from './worker/create-workers';
import { Client, Connection } from '@temporalio/client';
import { ensureSearchAttributes } from './temporal/ensure-search-attributes';
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
  });
  const done = workers.run().finally(() => connection.close());
  await prepareNamespace(config, options.address);
  options.logger.info({ address: options.address }, 'worker polling task queues crm-sync, crm-hubspot, crm-zoho');
  return {
    done,
    stop: async () => {
      workers.shutdown();
      await done;
    },
  };
}

/** What the workers need from the namespace: our search attributes, and the Zoho channel kept alive. */
async function prepareNamespace(config: AppConfig, address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    await ensureZohoWatch(new Client({ connection, namespace: config.temporal.namespace }), config);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runEntryPoint('worker', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'worker');
    const services = await openServices(config);
    const worker = await startWorker(config, { logger, services, address: config.temporal.address ?? '127.0.0.1:7233' });
    return async () => {
      await worker.stop();
      await services.close();
    };
  });
}
