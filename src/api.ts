import { Client } from '@temporalio/client';
import { createServer } from 'node:http';
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { createEncryptionCodec } from './codec/encryption-codec';
import { adminRoutes } from './ingress/admin-routes';
import { createDataConverter } from './codec/data-converter';
import { loadConfig, temporalAddress, type AppConfig } from './config';
import { createApiApp } from './ingress/app';
import type { PreparedCheck } from './ingress/health-routes';
import type { IngressDeps } from './ingress/ingress-deps';
import { createIngressMetrics } from './ingress/ingress-metrics';
import { createLogger, type Logger } from './logger';
import { closeServer, listen } from './runtime/http-server';
import { runEntryPoint } from './runtime/entry-point';
import { recordSyncOptions } from './runtime/sync-options';
import { openServices, type Services } from './runtime/services';
import { enabledSystems } from './systems/registry';
import { withinDeadline } from './temporal/bounded-call';
import { connectIngress } from './temporal/ingress-connection';
import type { IngressContext, ListenContext, Listening, SystemDefinition } from './systems/types';

/**
 * The whole hand-off to Temporal, retries included, well inside the shortest delivery timeout (HubSpot's 5 s): past
 * this we answer 503 and the system delivers again. 2 s are left for the network and the rest of the request.
 */
const SIGNAL_DEADLINE_MS = 3_000;

export interface RunningApi {
  url: string;
  stop: () => Promise<void>;
}

export interface ApiStartOptions {
  logger: Logger;
  address: string;
  /** the systems whose ingress is mounted (default: the registry) */
  systems?: readonly SystemDefinition[];
  extraRouters?: Router[];
  /** metrics of other components in this process (the worker's), served on /metrics too */
  registries?: Registry[];
  extraMetrics?: (() => Promise<string>)[];
  /** the store and connectors, when this process has them: ingresses can then tell our own writes' echoes apart */
  services?: Services;
}

/**
 * The webhook ingress (verifies each delivery and signals one workflow per record), and the message listeners of the
 * systems that push their changes over a broker instead.
 */
export async function startApi(config: AppConfig, options: ApiStartOptions): Promise<RunningApi> {
  const systems = options.systems ?? enabledSystems(config);
  // Lazy: the API comes up (and answers 503, so systems deliver again) even while Temporal is down.
  const ingress = connectIngress(options.address);
  const { connection } = ingress;
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
  const deps: IngressDeps = {
    workflowClient: client.workflow,
    withTemporalDeadline: (fn) => withinDeadline(connection, SIGNAL_DEADLINE_MS, fn),
    syncOptions: recordSyncOptions(config),
    logger: options.logger,
    metrics,
    publicUrl: config.api.publicUrl,
    bodyLimit: config.api.bodyLimit,
  };
  const listeners = await startListeners(systems, {
    config,
    workflowClient: client.workflow,
    withTemporalDeadline: (fn) => deps.withTemporalDeadline(fn),
    syncOptions: deps.syncOptions,
    logger: options.logger,
    registry: metrics.registry,
    ...(options.services ? { store: options.services.store } : {}),
  }).catch(async (error: unknown) => {
    await ingress.close();
    throw error;
  });
  const app = createApiApp({
    connection,
    namespace: config.temporal.namespace,
    logger: options.logger,
    metrics,
    systems: systems.map((system) => system.name),
    prepared: preparedChecks(systems, client, config),
    listeners: listeners.map((listening) => () => listening.notReady()),
    ingresses: systems.map((system) => ({ system: system.name, router: system.ingress(ingressContext(config, deps, system, options.services)) })),
    extraRouters: [admin, ...(options.extraRouters ?? [])],
  });
  const server = createServer(app);
  const port = await listen(server, config.api.port, config.api.host).catch(async (error: unknown) => {
    await closeAll(listeners);
    throw error;
  });
  return {
    url: `http://${config.api.host}:${port}`,
    stop: async () => {
      await closeServer(server);
      // Before the Temporal connection: a message being handed over finishes (or goes back to its queue) first.
      await closeAll(listeners);
      await ingress.close();
    },
  };
}

/** Every system's message listener (a broker consumer), for systems that push changes over a queue. */
async function startListeners(systems: readonly SystemDefinition[], context: ListenContext): Promise<Listening[]> {
  const started: Listening[] = [];
  try {
    for (const system of systems) {
      if (system.listen) started.push(await system.listen(context));
    }
  } catch (error) {
    await closeAll(started);
    throw error;
  }
  return started;
}

async function closeAll(listeners: readonly Listening[]): Promise<void> {
  await Promise.all(listeners.map((listening) => listening.close()));
}

/** What /readyz asks each system that has a prepare step. */
function preparedChecks(systems: readonly SystemDefinition[], client: Client, config: AppConfig): PreparedCheck[] {
  const checks: PreparedCheck[] = [];
  for (const system of systems) {
    const prepared = system.prepared?.bind(system);
    if (prepared) checks.push(() => prepared(client, config));
  }
  return checks;
}

function ingressContext(config: AppConfig, deps: IngressDeps, system: SystemDefinition, services: Services | undefined): IngressContext {
  const connector = services?.connectors[system.name];
  return { ...deps, config, ...(services && connector ? { local: { store: services.store, connector, rules: config.rules } } : {}) };
}

if (require.main === module) {
  runEntryPoint('api', async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, 'api');
    // The embedded store (PGlite) belongs to one process, the worker's; a shared Postgres can serve the API too.
    const services = config.databaseUrl ? await openServices(config, enabledSystems(config)) : undefined;
    const api = await startApi(config, { logger, address: temporalAddress(config), services });
    logger.info({ url: api.url, echoChecks: services !== undefined }, 'API listening');
    return async () => {
      await api.stop();
      await services?.close();
    };
  });
}
