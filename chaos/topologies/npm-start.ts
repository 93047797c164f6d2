import { join } from 'node:path';
import { freePort } from '../../src/sandbox/common/free-port';
import { waitFor } from '../../test/support/wait-for';
import { launchInScratchDir, type Part, type Topology, type TopologyDefinition, type TopologyOptions } from '../support/topology';
import { answers, groupPart } from '../support/parts';

/** The line both entry points print once they serve. */
const READY = 'Press Ctrl-C to stop.';

/**
 * The default deployment: `npm start` (src/main.ts: the embedded Temporal dev server on its SQLite file, PGlite under
 * DATA_DIR, the worker and the API in one process group) with the simulators in a process of their own
 * (`npm run sandbox`, with its private RabbitMQ node and the shop simulator), as README's "simulators apart" describes:
 * `SANDBOX_SIMULATORS=external`. The one killable part is 'app', the whole `npm start` group; the simulators stand for
 * the remote systems and keep running, delivering and retrying whatever happens to it.
 */
export const npmStartTopology: TopologyDefinition = {
  name: 'npm-start',
  summary: 'npm start (dev server on SQLite, PGlite, worker and API in one process group) with npm run sandbox apart',
  launch: (options: TopologyOptions): Promise<Topology> =>
    launchInScratchDir('crm-sync-chaos-npm-start-', async (root, closers) => {
      const ports = {
        SANDBOX_HUBSPOT_PORT: await freePort(),
        SANDBOX_ZOHO_PORT: await freePort(),
        SANDBOX_SHOP_PORT: await freePort(),
        SANDBOX_AMQP_PORT: await freePort(),
        API_PORT: await freePort(),
        TEMPORAL_PORT: await freePort(),
        TEMPORAL_UI_PORT: await freePort(),
        SANDBOX_SMTP_PORT: await freePort(),
      };
      const shared = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH,
        LOG_LEVEL: 'warn',
        CRM_SANDBOX: 'true',
        // the suite's own records only: the sample data would only be more to read at every check
        SANDBOX_SEED_CONTACTS: '0',
        SANDBOX_SEED_COMPANIES: '0',
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      };
      // Each its own DATA_DIR: the simulators' data and broker apart from crm-sync's state, as README advises.
      const sandbox = groupPart('sandbox', 'src/sandbox-main.ts', { ...shared, DATA_DIR: join(root, 'sandbox') }, [], async (p) => p.output().includes(READY));
      closers.push(() => sandbox.kill());
      await sandbox.start();

      const apiUrl = `http://127.0.0.1:${ports.API_PORT}`;
      const appEnv = {
        ...shared,
        DATA_DIR: join(root, 'app'),
        SANDBOX_SIMULATORS: 'external',
        AMQP_URL: `amqp://guest:guest@127.0.0.1:${ports.SANDBOX_AMQP_PORT}`,
        TEMPORAL_SDK_METRICS_ADDRESS: '',
        // the hourly failure report would only add noise to a timed run
        REPORT_CRON: '0 0 1 1 *',
        ...options.env,
      };
      const app = groupPart('npm start', 'src/main.ts', appEnv, [], async (p) => p.output().includes(READY) && (await answers(`${apiUrl}/readyz`, true)));
      closers.push(() => app.kill());
      await app.start();

      const partOf = (part: Part) => {
        if (part !== 'app') throw new Error(`the npm-start topology kills only the app (npm start), not the ${part}`);
        return app;
      };
      return {
        name: 'npm-start',
        urls: { hubspot: `http://127.0.0.1:${ports.SANDBOX_HUBSPOT_PORT}`, zoho: `http://127.0.0.1:${ports.SANDBOX_ZOHO_PORT}`, shop: `http://127.0.0.1:${ports.SANDBOX_SHOP_PORT}`, api: [apiUrl] },
        temporal: { address: `127.0.0.1:${ports.TEMPORAL_PORT}`, namespace: 'default' },
        parts: { app: 1 },
        kill: (part) => partOf(part).kill(),
        start: async (part) => {
          await partOf(part).start();
          await waitFor(() => answers(`${apiUrl}/readyz`, true), 'npm start to be ready again', 120_000, 500);
        },
      };
    }),
};
