import { join } from 'node:path';
import { startRabbitNode, type RabbitNode } from '../../src/sandbox/broker/rabbitmq-node';
import { createHubspotSimulator } from '../../src/sandbox/hubspot';
import { createShopSimulator } from '../../src/sandbox/shop';
import { createZohoSimulator } from '../../src/sandbox/zoho';
import { freePort } from '../../src/sandbox/common/free-port';
import { waitFor } from '../../test/support/wait-for';
import { childStackEnv } from '../../test/support/worker-process';
import { answers, groupPart, type Restartable } from '../support/parts';
import { startPrivateCluster } from '../support/postgres';
import { READY_LINE } from '../support/temporal-main';
import { launchInScratchDir, type Part, type Topology, type TopologyDefinition, type TopologyOptions } from '../support/topology';

/**
 * The shop: a private RabbitMQ node (killable: SIGKILL, then the same node on the same data and port, as a supervisor
 * restarts it) and the shop simulator on it, in the harness like the CRMs' simulators.
 */
async function startShop(dataDir: string): Promise<{ url: string; env: Record<string, string>; broker: Restartable; close: () => Promise<void> }> {
  const options = { dir: join(dataDir, 'rabbitmq'), name: `crmsync-chaos-${process.pid}`, port: await freePort(), path: process.env.PATH ?? '' };
  let node: RabbitNode | null = await startRabbitNode(options);
  const amqpUrl = node.url;
  const namePrefix = 'chaos.';
  try {
    const simulator = await createShopSimulator({ port: 0, amqpUrl, namePrefix });
    return {
      url: simulator.url,
      // the company's own shop has no quota to respect, as in the tests
      env: { SHOP_API_URL: simulator.url, AMQP_URL: amqpUrl, SHOP_NAME_PREFIX: namePrefix, SHOP_ACTIVITIES_PER_SECOND: '500' },
      broker: {
        async kill() {
          await node?.crash();
          node = null;
        },
        async start() {
          node = await startRabbitNode(options);
        },
      },
      close: async () => {
        await simulator.close();
        await node?.stop();
      },
    };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

/**
 * The default chaos topology: each part of the product a process of its own, as a production install runs it on one
 * machine. The CRM simulators run in the harness (they stand for the remote CRMs and keep their data and their retries
 * whatever is killed); the Temporal dev server (SQLite file), crm-sync's store on a private PostgreSQL, one worker and
 * one API (`npm run worker`, `npm run api`) run as child processes on free ports.
 */
export const splitTopology: TopologyDefinition = {
  name: 'split',
  summary: 'simulators in the harness; Temporal dev server, PostgreSQL, one worker and one API as processes of their own',
  launch: (options: TopologyOptions): Promise<Topology> =>
    launchInScratchDir('crm-sync-chaos-', async (dataDir, closers) => {
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

      const shop = options.shop ? await startShop(dataDir) : undefined;
      if (shop) closers.push(shop.close);

      const workerMetricsPort = await freePort();
      const env = {
        ...childStackEnv({ testFile: 'chaos', dataDir, apiPort, workerMetricsPort, hubspotUrl: hubspot.url, zohoUrl: zoho.url }),
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: 'default',
        DATABASE_URL: store.url,
        // the hourly failure report would only add noise to a timed run
        REPORT_CRON: '0 0 1 1 *',
        ...(shop?.env ?? {}),
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

      const parts: Record<Exclude<Part, 'broker' | 'app'>, Restartable> = {
        worker,
        api,
        temporal,
        store: { kill: () => store.crash(), start: () => store.start() },
      };
      const partOf = (part: Part): Restartable => {
        if (part === 'broker') {
          if (!shop) throw new Error('the split topology runs a broker only with the shop');
          return shop.broker;
        }
        if (part === 'app') throw new Error('the split topology runs no npm start (--topology=npm-start does)');
        return parts[part];
      };
      return {
        name: 'split',
        urls: { hubspot: hubspot.url, zoho: zoho.url, ...(shop ? { shop: shop.url } : {}), api: [apiUrl] },
        temporal: { address: temporalAddress, namespace: 'default' },
        parts: { worker: 1, api: 1, temporal: 1, store: 1, ...(shop ? { broker: 1 } : {}) },
        kill: (part) => partOf(part).kill(),
        start: (part) => partOf(part).start(),
      };
    }),
};
