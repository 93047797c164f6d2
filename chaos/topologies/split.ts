import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubspotSimulator } from '../../src/sandbox/hubspot';
import { createZohoSimulator } from '../../src/sandbox/zoho';
import { freePort } from '../../src/sandbox/common/free-port';
import { waitFor } from '../../test/support/wait-for';
import { childStackEnv } from '../../test/support/worker-process';
import { answers, groupPart, type Restartable } from '../support/parts';
import { startPrivateCluster } from '../support/postgres';
import { READY_LINE } from '../support/temporal-main';
import type { Part, Topology, TopologyDefinition, TopologyOptions } from '../support/topology';

/**
 * The default chaos topology: each part of the product a process of its own, as a production install runs it on one
 * machine. The CRM simulators run in the harness (they stand for the remote CRMs and keep their data and their retries
 * whatever is killed); the Temporal dev server (SQLite file), crm-sync's store on a private PostgreSQL, one worker and
 * one API (`npm run worker`, `npm run api`) run as child processes on free ports.
 */
export const splitTopology: TopologyDefinition = {
  name: 'split',
  summary: 'simulators in the harness; Temporal dev server, PostgreSQL, one worker and one API as processes of their own',
  async launch(options: TopologyOptions): Promise<Topology> {
    if (options.shop) throw new Error('the split topology runs HubSpot and Zoho only');
    const closers: (() => Promise<void>)[] = [];
    const close = async () => {
      for (const closer of closers.reverse()) await closer().catch(() => undefined);
      closers.length = 0;
    };
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-chaos-'));
      closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));

      const temporalPort = await freePort();
      const temporalAddress = `127.0.0.1:${temporalPort}`;
      const temporal = groupPart('temporal', 'chaos/support/temporal-main.ts', { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH }, [String(temporalPort), join(dataDir, 'temporal.sqlite')], async (p) =>
        p.output().includes(READY_LINE),
      );
      closers.push(() => temporal.kill());
      await temporal.start();

      const store = await startPrivateCluster();
      closers.push(() => store.destroy());

      const apiPort = await freePort();
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      const hubspot = await createHubspotSimulator({ port: 0, webhook: { targetUrl: `${apiUrl}/webhooks/hubspot` } });
      closers.push(() => hubspot.close());
      const zoho = await createZohoSimulator({ port: 0 });
      closers.push(() => zoho.close());

      const workerMetricsPort = await freePort();
      const env = {
        ...childStackEnv({ testFile: 'chaos', dataDir, apiPort, workerMetricsPort, hubspotUrl: hubspot.url, zohoUrl: zoho.url }),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: 'default',
        DATABASE_URL: store.url,
        // the hourly failure report would only add noise to a timed run
        REPORT_CRON: '0 0 1 1 *',
        ...options.env,
      };
      const worker = groupPart('worker', 'src/worker.ts', env, [], () => answers(`http://127.0.0.1:${workerMetricsPort}/metrics`, false));
      closers.push(() => worker.kill());
      await worker.start();
      const api = groupPart('api', 'src/api.ts', env, [], () => answers(`${apiUrl}/healthz`, true));
      closers.push(() => api.kill());
      await api.start();
      // ready: Temporal answers, the worker polls and the Zoho notification channel is registered
      await waitFor(() => answers(`${apiUrl}/readyz`, true), 'the API to be ready', 120_000, 500);

      const parts: Record<Exclude<Part, 'broker'>, Restartable> = {
        worker,
        api,
        temporal,
        store: { kill: () => store.crash(), start: () => store.start() },
      };
      const partOf = (part: Part): Restartable => {
        if (part === 'broker') throw new Error('the split topology runs no broker');
        return parts[part];
      };
      return {
        name: 'split',
        urls: { hubspot: hubspot.url, zoho: zoho.url, api: [apiUrl] },
        temporal: { address: temporalAddress, namespace: 'default' },
        parts: { worker: 1, api: 1, temporal: 1, store: 1 },
        kill: (part) => partOf(part).kill(),
        start: (part) => partOf(part).start(),
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  },
};
