import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger';
import { findRabbitmqBin } from '../../src/sandbox/broker/rabbitmq-node';
import { cachedWorkflowBundle, workflowBundleDir } from '../../src/worker/workflow-bundle';
import { freePort } from '../../test/support/free-port';
import { startRelay } from '../../test/support/tcp-relay';
import { waitFor } from '../../test/support/wait-for';
import { startGroupProcess, type GroupProcess } from '../../test/support/worker-process';
import { preparePostgres, type Postgres } from './postgres';
import { ensureTemporalBinaries } from './temporal-build';
import { freeSmallPort, prepareNamespace, prepareTemporalServer, setUpDatabases, type TemporalServer } from './temporal-server';

/** The parts a fault can hit: a worker or API process, the Temporal server, the store's (and Temporal's) PostgreSQL. */
export type ClusterPart = 'worker' | 'api' | 'temporal' | 'store';

export interface ClusterOptions {
  /** where everything the cluster keeps lives: PostgreSQL's data, secrets, the simulators' data, one log per process */
  dir: string;
  log: (line: string) => void;
  workers?: number;
  apis?: number;
  /** crm-sync settings for every worker and API on top of the cluster's (SYNC_COALESCE_MS, RECONCILE_INTERVAL, …) */
  env?: Record<string, string>;
  /** the simulators' settings (SANDBOX_SEED_CONTACTS, …) */
  sandboxEnv?: Record<string, string>;
  /** the shop simulator, on a private RabbitMQ node, and shop sync (default: when rabbitmq-server is installed) */
  shop?: boolean;
  /** ports of one's choosing; free ones otherwise */
  ports?: { public?: number; temporal?: number; postgres?: number };
}

export interface Cluster {
  /** the one URL the CRMs deliver to: the round-robin relay in front of the APIs */
  publicUrl: string;
  apiUrls: string[];
  hubspotUrl: string;
  zohoUrl: string;
  /** undefined when rabbitmq-server is not installed: the shop is off */
  shopUrl: string | undefined;
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  /** the environment every worker and API runs with (CODEC_KEYS, ADMIN_TOKEN, …): what an operator's CLI needs */
  appEnv: Record<string, string | undefined>;
  /** seconds per start-up step, measured */
  timings: Record<string, number>;
  /** how many processes of each part run */
  parts: Record<ClusterPart, number>;
  /** a crash of the part: SIGKILL for processes, an immediate shutdown for PostgreSQL; `index` picks one replica, else all go */
  kill(part: ClusterPart, index?: number): Promise<void>;
  /** starts the part (one replica, else all) again and waits until it serves */
  start(part: ClusterPart, index?: number): Promise<void>;
  /** every part stopped in order (SIGTERM, pg_ctl fast); resolves with the processes that did not end by themselves */
  stop(): Promise<string[]>;
}

const NAMESPACE = 'default';
/** what a process gets to drain before it counts as not stopping cleanly: the worker's own drain deadline is 8 s */
const STOP_TIMEOUT_MS = 20_000;

/**
 * crm-sync as docker-compose.yml deploys it, without Docker: PostgreSQL holding Temporal's two databases and crm-sync's
 * store, the Temporal server built from source on deploy/temporal/crm-sync.yaml, two worker and two API processes, a
 * round-robin relay in front of the APIs (where a deployment has its load balancer), and the simulators as the CRMs.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { dir, log } = options;
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const portOf = portBook(dir, { public: options.ports?.public, 'temporal FRONTEND_GRPC_PORT': options.ports?.temporal, postgres: options.ports?.postgres });
  const timings: Record<string, number> = {};
  const closers: { name: string; stop: () => Promise<boolean> }[] = [];
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timings[name] = Math.round((performance.now() - started) / 100) / 10;
    log(`${name}: ${timings[name] ?? 0} s`);
    return result;
  };
  const stopAll = async () => {
    const unclean: string[] = [];
    for (const closer of closers.reverse()) {
      const clean = await closer.stop().catch(() => false);
      if (!clean) unclean.push(closer.name);
    }
    closers.length = 0;
    return unclean;
  };

  try {
    const binaries = await step('Temporal binaries (built when not cached)', () => ensureTemporalBinaries(log));

    const postgres: Postgres = await step('PostgreSQL', async () => {
      const pg = await preparePostgres({ dir: join(dir, 'postgres'), port: await portOf('postgres'), password: secret(dir, 'postgres-password', () => randomBytes(18).toString('base64url')), log });
      await pg.start();
      return pg;
    });
    closers.push({ name: 'PostgreSQL', stop: () => postgres.stop().then(() => true) });
    await step('schemas', () => setUpDatabases(binaries.sqlTool, postgres));

    const temporal: TemporalServer = await prepareTemporalServer({ binary: binaries.server, postgres, portOf: (variable) => portOf(`temporal ${variable}`, freeSmallPort), logFile: join(dir, 'logs', 'temporal.log') });
    await step('Temporal server', () => temporal.start());
    closers.push({ name: 'Temporal server', stop: () => temporal.stop() });
    await step('namespace and search attributes', () => prepareNamespace(temporal.address, NAMESPACE));

    const publicPort = await portOf('public');
    const publicUrl = `http://127.0.0.1:${publicPort}`;
    const ports = { hubspot: await portOf('hubspot'), zoho: await portOf('zoho'), shop: await portOf('shop'), amqp: await portOf('amqp'), smtp: await portOf('smtp') };
    const broker = options.shop ?? findRabbitmqBin(process.env.PATH ?? '') !== null;
    const common = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH,
      LOG_LEVEL: 'info',
      CRM_SANDBOX: 'true',
      PUBLIC_URL: publicUrl,
      SANDBOX_HUBSPOT_PORT: String(ports.hubspot),
      SANDBOX_ZOHO_PORT: String(ports.zoho),
      SANDBOX_SHOP_PORT: String(ports.shop),
      SANDBOX_AMQP_PORT: String(ports.amqp),
      SANDBOX_SMTP_PORT: String(ports.smtp),
    };
    const appDataDir = join(dir, 'app');
    const appEnv: Record<string, string | undefined> = {
      ...common,
      DATA_DIR: appDataDir,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      DATABASE_URL: postgres.url('crm_sync'),
      // set as a deployment must (outside sandbox mode they are required), shared by every replica
      CODEC_KEYS: secret(dir, 'codec-keys', () => `cluster1:${randomBytes(32).toString('base64')}`),
      ADMIN_TOKEN: secret(dir, 'admin-token', () => randomBytes(24).toString('base64url')),
      // one exporter port per process would be needed; the workers' own /metrics serve crm-sync's metrics
      TEMPORAL_SDK_METRICS_ADDRESS: '',
      ...(broker ? { AMQP_URL: `amqp://guest:guest@127.0.0.1:${ports.amqp}` } : {}),
      ...options.env,
    };

    const sandbox = await step('simulators', async () => {
      // without the shop, a folder with no rabbitmq-server in it keeps the sandbox from starting a broker
      const noBroker = broker ? {} : { RABBITMQ_BIN_DIR: dir };
      const sandboxEnv = { ...common, ...noBroker, DATA_DIR: join(dir, 'sandbox'), ...options.sandboxEnv };
      const started = startGroupProcess('src/sandbox-main.ts', sandboxEnv, [], { logFile: join(dir, 'logs', 'sandbox.log') });
      const last = broker ? ports.shop : ports.zoho;
      await waitUntilServing(started, `http://127.0.0.1:${last}/_sim/stats`, 'the simulators', 120_000);
      return started;
    });
    closers.push({ name: 'simulators', stop: () => sandbox.stop(STOP_TIMEOUT_MS) });

    const replicasOf = async (part: 'worker' | 'api', count: number, portVariable: string) => {
      const list: { env: Record<string, string>; process?: GroupProcess }[] = [];
      for (let index = 0; index < count; index++) list.push({ env: { [portVariable]: String(await portOf(`${part}-${index + 1}`)) } });
      return list;
    };
    const workers = await replicasOf('worker', options.workers ?? 2, 'WORKER_METRICS_PORT');
    const apis = await replicasOf('api', options.apis ?? 2, 'API_PORT');
    const apiUrls = apis.map((api) => `http://127.0.0.1:${api.env.API_PORT ?? ''}`);
    const relay = await startRelay(
      publicPort,
      apiUrls.map((url) => url.replace('http://', '')),
    );
    closers.push({ name: 'relay', stop: () => relay.close().then(() => true) });

    const indexes = (part: 'worker' | 'api', index: number | undefined) => (index === undefined ? (part === 'worker' ? workers : apis).map((_, i) => i) : [index]);
    const replicaOf = (part: 'worker' | 'api', index: number) => {
      const replica = (part === 'worker' ? workers : apis)[index];
      if (!replica) throw new Error(`there is no ${part} ${index}`);
      return replica;
    };
    const startReplica = async (part: 'worker' | 'api', index: number) => {
      const replica = replicaOf(part, index);
      const name = `${part}-${index + 1}`;
      const started = startGroupProcess(part === 'worker' ? 'src/worker.ts' : 'src/api.ts', { ...appEnv, ...replica.env }, [], { logFile: join(dir, 'logs', `${name}.log`) });
      replica.process = started;
      // a worker's /metrics listens once it polls and has prepared the namespace; an API's /healthz once it listens
      const url = part === 'worker' ? `http://127.0.0.1:${replica.env.WORKER_METRICS_PORT ?? ''}/metrics` : `http://127.0.0.1:${replica.env.API_PORT ?? ''}/healthz`;
      await waitUntilServing(started, url, name, 120_000);
    };
    // Bundled here, once: the workers then find it in their DATA_DIR's cache instead of each running webpack at start.
    await step('workflow bundle (built when not cached)', () => cachedWorkflowBundle({ dir: workflowBundleDir(appDataDir), logger: silentLogger }));
    // One worker after the other: the first registers the Zoho channel and the Schedules, the next finds them.
    await step('workers', async () => {
      for (let index = 0; index < workers.length; index++) await startReplica('worker', index);
    });
    for (const [index] of workers.entries()) closers.push({ name: `worker-${index + 1}`, stop: async () => (await workers[index]?.process?.stop(STOP_TIMEOUT_MS)) ?? true });
    await step('APIs', () => Promise.all(apis.map((_, index) => startReplica('api', index))));
    for (const [index] of apis.entries()) closers.push({ name: `api-${index + 1}`, stop: async () => (await apis[index]?.process?.stop(STOP_TIMEOUT_MS)) ?? true });
    // Ready through the relay: a live worker on every queue and the Zoho channel registered.
    await step('ready', () => waitFor(async () => (await fetch(`${publicUrl}/readyz`)).status === 200, 'the cluster to be ready (/readyz through the relay)', 120_000, 250));

    return {
      publicUrl,
      apiUrls,
      hubspotUrl: `http://127.0.0.1:${ports.hubspot}`,
      zohoUrl: `http://127.0.0.1:${ports.zoho}`,
      shopUrl: broker ? `http://127.0.0.1:${ports.shop}` : undefined,
      temporalAddress: temporal.address,
      namespace: NAMESPACE,
      databaseUrl: postgres.url('crm_sync'),
      appEnv,
      timings,
      parts: { worker: workers.length, api: apis.length, temporal: 1, store: 1 },
      async kill(part, index) {
        if (part === 'store') return postgres.crash();
        if (part === 'temporal') return temporal.kill();
        await Promise.all(indexes(part, index).map(async (i) => replicaOf(part, i).process?.kill()));
      },
      async start(part, index) {
        if (part === 'store') return postgres.start();
        if (part === 'temporal') return temporal.start();
        // together: the Zoho channel and the Schedules exist by now, so the replicas have nothing to race for
        await Promise.all(indexes(part, index).map((i) => startReplica(part, i)));
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Waits for `url` to answer at all (any status); fails at once, with the end of its log, if the process ends. */
async function waitUntilServing(process_: GroupProcess, url: string, what: string, timeoutMs: number): Promise<void> {
  let ended = false;
  await waitFor(
    async () => {
      ended = !process_.running();
      if (!ended) await fetch(url);
      return true;
    },
    `${what} to serve ${url}`,
    timeoutMs,
    250,
  );
  if (ended) throw new Error(`${what} exited while starting:\n${process_.output().slice(-1500)}`);
}

/**
 * The cluster's ports, chosen on its first start and kept in its folder: a restart finds every part where the others,
 * and what they stored (the Zoho channel's notification URL), expect it. `fixed` are the caller's choices.
 */
function portBook(dir: string, fixed: Record<string, number | undefined>) {
  const path = join(dir, 'ports.json');
  const book = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>) : {};
  // A port free when probed is free for everyone: two picks may find the same one (the Temporal server's history
  // service was once given one port for gRPC and membership, and could not start), so a pick the book holds is redone.
  const taken = () => new Set([...Object.values(book), ...Object.values(fixed)]);
  const pickUnheld = async (pick: () => Promise<number>): Promise<number> => {
    for (;;) {
      const port = await pick();
      if (!taken().has(port)) return port;
    }
  };
  return async (name: string, pick: () => Promise<number> = freePort): Promise<number> => {
    const port = fixed[name] ?? book[name] ?? (await pickUnheld(pick));
    book[name] = port;
    writeFileSync(path, `${JSON.stringify(book, null, 2)}\n`);
    return port;
  };
}

/** A secret generated once and kept in the cluster's folder (mode 0600), so that a restart reads its own data. */
function secret(dir: string, name: string, generate: () => string): string {
  const path = join(dir, name);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  writeFileSync(path, `${generate()}\n`, { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}
