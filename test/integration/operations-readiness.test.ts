import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '../../src/api';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createHubspotSimulator, type HubspotSimulator } from '../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho';
import { WORKER_HEARTBEAT_FRESHNESS_MS } from '../../src/temporal/worker-liveness';
import { freePort } from '../support/free-port';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { installTestRuntime } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { childStackEnv, startWorkerProcess, type GroupProcess } from '../support/worker-process';

jest.setTimeout(180_000);

/**
 * Issue 15 point 8: /readyz tells the truth about a fresh install and a dead worker. The worker is its own process
 * (`npm run worker`), so it can be killed with SIGKILL as a crash would, with no chance to say goodbye.
 */
describe('readiness', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-readiness-'));
  let hubspot: HubspotSimulator;
  let zoho: ZohoSimulator;
  let api: RunningApi;
  let worker: GroupProcess | undefined;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    await installTestRuntime();
    const apiPort = await freePort();
    const publicUrl = `http://127.0.0.1:${apiPort}`;
    hubspot = await createHubspotSimulator({ port: 0, webhook: { targetUrl: `${publicUrl}/webhooks/hubspot`, batchDelayMs: 20 } });
    zoho = await createZohoSimulator({ port: 0 });
    env = childStackEnv({ testFile: __filename, dataDir, apiPort, workerMetricsPort: await freePort(), hubspotUrl: hubspot.url, zohoUrl: zoho.url });
    // The API alone first, as on a fresh install where it comes up before any worker.
    api = await startApi(loadConfig(env), { logger: silentLogger, address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
  });
  afterAll(async () => {
    await worker?.kill();
    await api?.stop();
    await Promise.all([hubspot?.close(), zoho?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const readyz = async () => {
    const response = await fetch(`${api.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
  };

  test('a fresh install is not ready before the Zoho channel is registered; a contact created right after ready is synced', async () => {
    expect(await readyz()).toMatchObject({ status: 503 });
    // Every Zoho call takes 6 s: the channel's registration, after the worker's start, lags the worker's first
    // heartbeat (at most one 5 s interval after its start), so there is a window with a live worker and no channel.
    await zohoAdmin(zoho.url).faults({ latencyMs: 6000 });
    worker = startWorkerProcess(env);
    const reasons = new Set<string>();
    await waitFor(
      async () => {
        const { status, body } = await readyz();
        if (body.reason) reasons.add(body.reason);
        return status === 200;
      },
      'readyz 200',
      120_000,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- worker output ---\n${worker?.output() ?? ''}`);
    });
    // Between the worker's start and the channel's registration, readiness said what was missing.
    expect([...reasons]).toContain('Zoho notification channel not registered yet');
    await zohoAdmin(zoho.url).clearFaults();
    const created = await zohoAdmin(zoho.url).create('Contacts', { Email: 'ready.at.once@example.com', First_Name: 'Prompt', Last_Name: 'Reader', Lead_Status: 'Hot' });
    expect(created.id).toBeDefined();
    await waitFor(async () => (await hubspotAdmin(hubspot.url).records('contacts')).some((r) => r.properties.email === 'ready.at.once@example.com'), 'the contact in HubSpot', 30_000);
  });

  test('a worker killed with SIGKILL turns /readyz 503 within the heartbeat bound', async () => {
    expect(await readyz()).toMatchObject({ status: 200 });
    const killedAt = performance.now();
    await worker?.kill();
    const bound = WORKER_HEARTBEAT_FRESHNESS_MS + 3_000; // the freshness window, plus the probe's own deadline
    // Earlier, the Zoho channel's query may already fail for want of a worker; the heartbeats settle it within the bound.
    await waitFor(async () => (await readyz()).status === 503, 'readyz 503', bound, 200);
    await waitFor(async () => /no live worker on task queue\(s\): crm-sync, crm-sync-load, crm-sync-fan-out, crm-hubspot, crm-zoho/.test((await readyz()).body.reason ?? ''), 'no live worker', bound, 200);
    expect(performance.now() - killedAt).toBeLessThan(bound);
  });
});
