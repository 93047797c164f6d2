import { Client, Connection } from '@temporalio/client';
import { hubspotAdmin, zohoAdmin } from './sim-client';
import { freePort } from './free-port';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Registry } from 'prom-client';
import { startApi, type RunningApi } from '../../src/api';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig, temporalAddress, type AppConfig, type ShopConfig } from '../../src/config';
import type { CrmConnector } from '../../src/connectors/types';
import type { ZohoConnector } from '../../src/connectors/zoho/connector';
import type { SyncRules } from '../../src/domain/schema/sync-rules';
import { silentLogger, type Logger } from '../../src/logger';
import { fetchSdkMetrics, installTemporalRuntime } from '../../src/runtime/temporal-runtime';
import { openServices, type Services } from '../../src/runtime/services';
import { createWorkerMetrics } from '../../src/worker/worker-metrics';
import { createHubspotSimulator, type HubspotSimulator } from '../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho';
import { hubspot as hubspotSystem } from '../../src/systems/hubspot/definition';
import { enabledSystems } from '../../src/systems/registry';
import type { SystemDefinition } from '../../src/systems/types';
import { zoho as zohoSystem } from '../../src/systems/zoho/definition';
import { zohoWatchWorkflowId } from '../../src/systems/zoho/watch-start';
import { startWorker, type RunningWorker } from '../../src/worker';
import { namespaceFor } from './namespaces';
import { waitFor } from './wait-for';

export interface TestStack {
  config: AppConfig;
  hubspot: HubspotSimulator;
  zoho: ZohoSimulator;
  apiUrl: string;
  client: Client;
  services: Services;
  /** connectors of the two CRMs for the test's own calls, typed as their own (Zoho's watch channel on and off) */
  connectors: { hubspot: CrmConnector; zoho: ZohoConnector };
  /** with `metrics: true`: the worker's registry (CRM calls, 429s, token refreshes), also served on the API's /metrics */
  workerMetrics?: Registry;
  /** loopback address of the SDK's Prometheus exporter in this process (undefined if another runtime was installed first) */
  sdkMetricsAddress?: string;
  /** stops and starts the worker (a crash and a redeploy), optionally with a new configuration (e.g. rotated keys) */
  restartWorker(config?: AppConfig): Promise<void>;
  close(): Promise<void>;
}

type HubspotAdmin = ReturnType<typeof hubspotAdmin>;
type ZohoAdmin = ReturnType<typeof zohoAdmin>;

export interface TestStackOptions {
  /** the test file (__filename): picks its Temporal namespace */
  testFile: string;
  env?: Record<string, string>;
  hubspot?: Parameters<typeof createHubspotSimulator>[0];
  zoho?: Parameters<typeof createZohoSimulator>[0];
  /** pino logger of the API and the worker (default silent); SDK, workflow and activity logs: captureRuntimeLogs */
  logger?: Logger;
  /** wire metrics as `npm start` does: worker metrics and the SDK exporter relayed by the API's /metrics */
  metrics?: boolean;
  /** the registered systems (default: the registry); a test adds one of its own with [...SYSTEMS, itsSystem] */
  systems?: readonly SystemDefinition[];
  /** replace the configured sync rules, e.g. to name a system the test adds */
  rules?: SyncRules;
  /** turns the shop on with these settings (see test/support/shop-stack.ts) */
  shop?: (config: AppConfig) => ShopConfig;
}

/** A test stack and the admin clients of its two simulators, which most tests drive it through. */
export async function startTestStackWithAdmins(options: TestStackOptions): Promise<{ stack: TestStack; hubspot: HubspotAdmin; zoho: ZohoAdmin }> {
  const stack = await startTestStack(options);
  return { stack, hubspot: hubspotAdmin(stack.hubspot.url), zoho: zohoAdmin(stack.zoho.url) };
}

/**
 * The whole product in this process, against the real Temporal dev server of the run: both simulators on free ports,
 * the store (PGlite in a temp dir), the worker and the API, wired exactly as `npm start` wires them.
 */
export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  await installTestRuntime();
  const logger = options.logger ?? silentLogger;
  const apiPort = await freePort();
  const publicUrl = `http://127.0.0.1:${apiPort}`;
  const hubspot = await createHubspotSimulator({
    port: 0,
    searchIndexDelayMs: 200,
    ...options.hubspot,
    webhook: { targetUrl: `${publicUrl}/webhooks/hubspot`, batchDelayMs: 20, ...options.hubspot?.webhook },
  });
  const zoho = await createZohoSimulator({ port: 0, searchIndexDelayMs: 200, ...options.zoho });
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-test-'));
  const loaded = loadConfig({
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    CRM_SANDBOX: 'true',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_NAMESPACE: namespaceFor(options.testFile),
    API_PORT: String(apiPort),
    HUBSPOT_BASE_URL: hubspot.url,
    ZOHO_API_BASE_URL: zoho.url,
    ZOHO_ACCOUNTS_URL: zoho.url,
    HUBSPOT_ACTIVITIES_PER_SECOND: '500',
    ZOHO_ACTIVITIES_PER_SECOND: '500',
    SYNC_COALESCE_MS: '50',
    // Off unless a test asks for it: a run landing mid-test would add reads and passes the test does not count on.
    RECONCILE_INTERVAL: '0',
    ...options.env,
  });
  // the shop is on only for the tests that start its simulator (shop-stack.ts), never through sandbox defaults
  const config = { ...loaded, ...(options.rules ? { rules: options.rules } : {}), shop: options.shop?.(loaded) };
  const systems = options.systems ?? enabledSystems(config);
  const address = temporalAddress(config);
  const workerMetrics = options.metrics ? createWorkerMetrics() : undefined;
  const services = await openServices(config, systems, workerMetrics?.observer);
  const workflowBundle = { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' };
  let worker: RunningWorker = await startWorker(config, { logger, services, address, workflowBundle });
  const sdkAddress = sdkMetricsAddress;
  const api: RunningApi = await startApi(config, {
    logger,
    address,
    systems,
    services,
    registries: workerMetrics ? [workerMetrics.registry] : [],
    extraMetrics: workerMetrics && sdkAddress ? [() => fetchSdkMetrics(sdkAddress)] : [],
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
  if (systems.some((system) => system.name === zohoSystem.name)) await waitForWatchChannel(client, config);

  const context = { config, rules: config.rules, store: services.store };
  return {
    config,
    hubspot,
    zoho,
    apiUrl: api.url,
    client,
    services,
    connectors: { hubspot: hubspotSystem.createConnector(context), zoho: zohoSystem.createConnector(context) },
    workerMetrics: workerMetrics?.registry,
    sdkMetricsAddress: sdkAddress,
    restartWorker: async (nextConfig = config) => {
      await worker.stop();
      worker = await startWorker(nextConfig, { logger, services, address, workflowBundle });
    },
    close: async () => {
      await api.stop();
      await worker.stop();
      await connection.close();
      await services.close();
      await Promise.all([hubspot.close(), zoho.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForWatchChannel(client: Client, config: AppConfig): Promise<void> {
  const handle = client.workflow.getHandle(zohoWatchWorkflowId(config));
  await waitFor(async () => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).some((event) => event.activityTaskCompletedEventAttributes);
  }, 'the Zoho watch channel to be registered');
}

let runtimeInstalled = false;
let sdkMetricsAddress: string | undefined;
let runtimeLogSink: ((line: string) => void) | null = null;

/**
 * Sends the SDK runtime's logs (worker, workflow and activity logs) as pino JSON lines to `sink` until the returned
 * function is called. Call it before the file's first startTestStack to get debug level (see installTestRuntime).
 */
export function captureRuntimeLogs(sink: (line: string) => void): () => void {
  runtimeLogSink = sink;
  return () => {
    if (runtimeLogSink === sink) runtimeLogSink = null;
  };
}

const WARN_LEVEL = 40;

/**
 * The runtime `npm start` installs (src/runtime/temporal-runtime.ts: pino logs, SDK Prometheus exporter on a
 * loopback port), once per Jest module registry. A test file that captures logs (captureRuntimeLogs before its
 * first stack) gets debug level, activity logs included; otherwise only warnings, and only on stderr.
 */
export async function installTestRuntime(): Promise<void> {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const address = `127.0.0.1:${await freePort()}`;
  const destination = {
    write(line: string) {
      if (runtimeLogSink) runtimeLogSink(line);
      else if (levelOf(line) >= WARN_LEVEL) process.stderr.write(line);
    },
  };
  try {
    installTemporalRuntime(pino({ level: runtimeLogSink ? 'debug' : 'warn' }, destination), address);
    sdkMetricsAddress = address;
  } catch {
    // already installed in this process by an earlier test file
  }
}

function levelOf(line: string): number {
  const match = /"level":(\d+)/.exec(line);
  return match ? Number(match[1]) : WARN_LEVEL;
}
