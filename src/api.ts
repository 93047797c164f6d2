import { Client, Connection } from '@temporalio/client';
import { createServer } from 'node:http';
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { createEncryptionCodec } from './codec/encryption-codec';
import { adminRoutes } from './ingress/admin-routes';
import { createDataConverter } from './codec/data-converter';
import { loadConfig, type AppConfig } from './config';
import { createApiApp } from './ingress/app';
import { createIngressMetrics } from './ingress/ingress-metrics';
import { createLogger, type Logger } from './logger';
import { closeServer, listen } from './runtime/http-server';
import { runEntryPoint } from './runtime/entry-point';
import { recordSyncOptions } from './runtime/sync-options';
import { openServices, type Services } from './runtime/services';
import { createZohoEchoFilter } from './ingress/zoho-echo-filter';

/** Inside HubSpot's 5 s delivery timeout: past this we answer 503 and let the CRM deliver again. */
const SIGNAL_DEADLINE_MS = 4_000;
/** The Zoho echo check's share of a delivery; past it the notification is signalled whole. */
const ECHO_CHECK_MS = 1_500;

export interface RunningApi {
  url: string;
  stop: () => Promise<void>;
}

export interface ApiStartOptions {
  logger: Logger;
  address: string;
  extraRouters?: Router[];
  /** metrics of other components in this process (the worker's), served on /metrics too */
  registries?: Registry[];
  extraMetrics?: (() => Promise<string>)[];
  /** the store and CRM clients, when this process has them: our own Zoho writes' echoes are then dropped here */
  services?: Services;
}

/** The webhook ingress: verifies each delivery and signals one workflow per record. */
export async function startApi(config: AppConfig, options: ApiStartOptions): Promise<RunningApi> {
  // Lazy: the API comes up (and answers 503, so CRMs deliver again) even while Temporal is down.
  const connection = Connection.lazy({ address: options.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
  const metrics = createIngressMetrics();
  const admin = adminRoutes({
    adminToken: config.adminToken,
    codec: createEncryptionCodec(config.codecKeys),
    uiOrigins: config.uiOrigins,
    registries: [metrics.registry, ...(options.registries ?? [])],
    extraMetrics: options.extraMetrics,
    logger: options.logger,
  });
  const app = createApiApp({
    workflowClient: client.workflow,
    withTemporalDeadline: (fn) => connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, fn),
    connection,
    namespace: config.temporal.namespace,
    syncOptions: recordSyncOptions(config),
    logger: options.logger,
    metrics,
    publicUrl: config.api.publicUrl,
    bodyLimit: config.api.bodyLimit,
    hubspotClientSecret: config.hubspot.clientSecret,
    hubspotAppId: config.hubspot.appId,
    zohoChannelToken: config.zoho.channelToken,
    zohoEchoFilter: options.services
      ? createZohoEchoFilter({ zoho: options.services.connectors.zoho, store: options.services.store, rules: config.rules, logger: options.logger, timeoutMs: ECHO_CHECK_MS })
      : undefined,
    extraRouters: [admin, ...(options.extraRouters ?? [])],
  });
  const server = createServer(app);
  const port = await listen(server, config.api.port, config.api.host);
  return {
    url: `http://${config.api.host}:${port}`,
    stop: async () => {
      await closeServer(server);
      await connection.close();
    },
  };
}

if (require.main === module) {
  runEntryPoint('api', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'api');
    // The embedded store (PGlite) belongs to one process, the worker's; a shared Postgres can serve the API too.
    const services = config.databaseUrl ? await openServices(config) : undefined;
    const api = await startApi(config, { logger, address: config.temporal.address ?? '127.0.0.1:7233', services });
    logger.info({ url: api.url, zohoEchoCheck: services !== undefined }, 'API listening');
    return async () => {
      await api.stop();
      await services?.close();
    };
  });
}
