import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type RunningApi } from '../../src/api';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig, type AppConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { connectServices, openConfiguredStore, type Services } from '../../src/runtime/services';
import { startingPart } from '../../src/runtime/stop-in-reverse';
import { startDevServer } from '../../src/temporal/dev-server';
import { enabledSystems } from '../../src/systems/registry';
import { startWorker, type RunningWorker } from '../../src/worker';
import { waitForReady } from '../../test/support/wait-for';
import { benchAmqpUrl } from './broker';
import type { LimitProfile } from './profiles';
import { ChangeWatch } from './change-watch';
import { startWebhookTap, type WebhookTap } from './webhook-tap';
import { startSimsProcess } from './sims-process';
import type { BenchStore } from './options';
import { preparePostgres } from '../../deploy/cluster/postgres';
import { freePort } from '../../src/sandbox/common/free-port';

/** What every stack of one bench run shares. */
export interface StackBase {
  /** Temporal CLI binary (undefined: let the SDK download it) */
  cliPath: string | undefined;
  workflowBundle: { codePath: string };
  /** the hub's store (BenchOptions.store) */
  store: BenchStore;
}

export interface BenchStackOptions extends StackBase {
  /** the CRM limits and the task-queue rate limits matching them */
  profile: LimitProfile;
  /** configuration on top of the benchmark's defaults and the profile's, as environment variables (timeouts) */
  env?: Record<string, string>;
  /** the shop simulator too, on the run's broker, and the shop synced (off otherwise, whatever sandbox mode defaults to) */
  shop?: boolean;
  /**
   * Runs once the simulators listen and before the worker registers the Zoho notification channel, so that data
   * prepared here (seeding, edits through /_sim/ui) notifies nobody.
   */
  prepare?: (sims: { hubspotUrl: string; zohoUrl: string; shopUrl?: string }) => Promise<void>;
}

export interface BenchStack {
  config: AppConfig;
  /** the CRM limits the simulators were started with */
  profile: LimitProfile;
  /** the simulators run in a process of their own (bench/support/sims-main.ts): reached over HTTP only */
  hubspot: { url: string };
  zoho: { url: string };
  /** with the `shop` option */
  shop?: { url: string };
  /** the API itself (POST here to bypass the tap) */
  apiUrl: string;
  /** the URL the CRMs call: the tap, which forwards to the API */
  publicUrl: string;
  watch: ChangeWatch;
  client: Client;
  services: Services;
  close(): Promise<void>;
}

const openStacks = new Set<() => Promise<void>>();

/** Ctrl-C: stops whatever stack is running (its dev server is a child process that would otherwise linger). */
export async function closeOpenStacks(): Promise<void> {
  await Promise.all([...openStacks].map((close) => close()));
}

/**
 * The whole product as `npm start` wires it, each part on a free port: a fresh embedded Temporal dev server (SQLite
 * file, as `npm start` uses), both CRM simulators at zero added latency (and the shop's, when asked) in a process of their own, the store in a
 * fresh temp DATA_DIR, the worker and the API. A fresh server per scenario keeps one scenario's leftover workflows and timers out of the next one.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const closers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      for (const closer of closers.reverse()) await closer().catch(() => undefined);
      openStacks.delete(close);
    })();
    return closing;
  };
  openStacks.add(close);
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-bench-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const databaseUrl = options.store === 'postgres' ? await startStackPostgres(dataDir, closers) : undefined;
    // The dev server, the store and the simulators' process boot at once, as in `npm start` (src/main.ts).
    const serverPart = startingPart(startDevServer({ cliPath: options.cliPath, dbFilename: join(dataDir, 'temporal.sqlite') }), (server) => server.stop());
    closers.push(serverPart.stop);
    const storePart = startingPart(openConfiguredStore({ dataDir, databaseUrl }), (store) => store.close());
    closers.push(storePart.stop);

    const watch = new ChangeWatch();
    const tap: WebhookTap = await startWebhookTap(watch);
    closers.push(() => tap.close());
    const amqpUrl = options.shop ? await benchAmqpUrl() : undefined;
    // a prefix of its own: a stack's leftover messages never reach the next scenario's on a shared broker
    const namePrefix = `bench-${Date.now()}.`;
    const sims = await startSimsProcess({
      hubspot: { ...options.profile.hubspot, webhook: { targetUrl: `${tap.url}/webhooks/hubspot`, ...options.profile.hubspot.webhook } },
      zoho: options.profile.zoho,
      shop: amqpUrl ? { amqpUrl, namePrefix } : undefined,
    });
    closers.push(() => sims.close());
    const hubspot = { url: sims.hubspotUrl };
    const zoho = { url: sims.zohoUrl };
    const shop = sims.shopUrl ? { url: sims.shopUrl } : undefined;
    await options.prepare?.({ hubspotUrl: hubspot.url, zohoUrl: zoho.url, shopUrl: shop?.url });
    const server = await serverPart.started;

    const loaded = loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CRM_SANDBOX: 'true',
      TEMPORAL_ADDRESS: server.address,
      API_PORT: '0',
      PUBLIC_URL: tap.url,
      HUBSPOT_BASE_URL: hubspot.url,
      ZOHO_API_BASE_URL: zoho.url,
      ZOHO_ACCOUNTS_URL: zoho.url,
      TEMPORAL_SDK_METRICS_ADDRESS: '',
      // the hourly failure report would only add noise to a timed run
      REPORT_CRON: '0 0 1 1 *',
      // the company's own shop has no quota to respect, as in the tests
      ...(shop && amqpUrl ? { SHOP_API_URL: shop.url, AMQP_URL: amqpUrl, SHOP_NAME_PREFIX: namePrefix, SHOP_ACTIVITIES_PER_SECOND: '500' } : {}),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...options.profile.env,
      ...options.env,
    });
    const config: AppConfig = { ...loaded, shop: shop ? loaded.shop : undefined };
    const services = connectServices(config, enabledSystems(config), await storePart.started);
    closers.push(() => services.close());
    const address = server.address;
    const worker: RunningWorker = await startWorker(config, { logger: silentLogger, services, address, workflowBundle: options.workflowBundle });
    closers.push(worker.stop);
    const api: RunningApi = await startApi(config, { logger: silentLogger, address, services });
    closers.push(api.stop);
    tap.setTarget(api.url);
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    // Ready as /readyz says: the Zoho channel registered (live Zoho changes notify only then), and the shop listener
    // consuming (until then the broker drops the shop's events: a run's first purchase never became a deal now and then).
    await waitForReady(api.url, 60_000);
    return { config, profile: options.profile, hubspot, zoho, shop, apiUrl: api.url, publicUrl: tap.url, watch, client, services, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A PostgreSQL server of the stack's own in its data folder, with an empty database: its URL. */
async function startStackPostgres(dataDir: string, closers: (() => Promise<void>)[]): Promise<string> {
  const postgres = await preparePostgres({ dir: join(dataDir, 'postgres'), port: await freePort(), password: randomBytes(18).toString('base64url'), log: () => undefined });
  await postgres.start();
  closers.push(() => postgres.stop());
  await postgres.sql('postgres', 'CREATE DATABASE crm_sync');
  return postgres.url('crm_sync');
}

