import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '../../src/api';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig, type AppConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { openServices, type Services } from '../../src/runtime/services';
import { createHubspotSimulator, type HubspotSimulator } from '../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho';
import { zohoWatchWorkflowId } from '../../src/temporal/zoho-watch-start';
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
  /** stops and starts the worker (a crash and a redeploy) */
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** the test file (__filename): picks its Temporal namespace */
  testFile: string;
  env?: Record<string, string>;
  hubspot?: Parameters<typeof createHubspotSimulator>[0];
  zoho?: Parameters<typeof createZohoSimulator>[0];
}

/**
 * The whole product in this process, against the real Temporal dev server of the run: both simulators on free ports,
 * the store (PGlite in a temp dir), the worker and the API, wired exactly as `npm start` wires them.
 */
export async function startTestStack(options: TestStackOptions): Promise<TestStack> {
  installQuietRuntime();
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
  const config = loadConfig({
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
    ...options.env,
  });
  const address = config.temporal.address ?? '';
  const services = await openServices(config);
  const workflowBundle = { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' };
  let worker: RunningWorker = await startWorker(config, { logger: silentLogger, services, address, workflowBundle });
  const api: RunningApi = await startApi(config, { logger: silentLogger, address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
  await waitForWatchChannel(client, config);

  return {
    config,
    hubspot,
    zoho,
    apiUrl: api.url,
    client,
    services,
    restartWorker: async () => {
      await worker.stop();
      worker = await startWorker(config, { logger: silentLogger, services, address, workflowBundle });
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

/** The SDK's INFO logs (worker state changes) would drown the test output. Once per Jest worker process. */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier test file in this process
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
