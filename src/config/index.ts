import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findTemporalCli } from '../temporal/cli-binary';
import { parseKeyRing, type KeyRing } from '../codec/key-ring';
import { ConfigError, parseEnv, type Env } from './env';
import { sandboxSecret } from './sandbox-secrets';
import { DEFAULT_SYNC_RULES, parseSyncRules, type SyncRules } from '../domain/schema/sync-rules';

export { ConfigError } from './env';

export interface AppConfig {
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  sandbox: boolean;
  rules: SyncRules;
  databaseUrl: string | undefined;
  /** payload encryption keys (the first encrypts) */
  codecKeys: KeyRing;
  adminToken: string;
  uiOrigins: string[];
  metrics: { sdkAddress: string | undefined; workerPort: number };
  report: { cron: string; smtpUrl: string | undefined; from: string; to: string };
  /** liveTasks / loadTasks: workflow tasks at once on the live queue (crm-sync) / the load queue (crm-sync-load) per worker */
  sync: { coalesceMs: number; idleTimeoutMs: number; maxPassesPerRun: number; commandReplyTimeoutMs: number; liveTasks: number; loadTasks: number };
  /** intervalMs 0: off */
  reconcile: { intervalMs: number; overlapMs: number; settleMs: number };
  temporal: {
    /** undefined: start the embedded dev server */
    address: string | undefined;
    namespace: string;
    cliPath: string | undefined;
    port: number;
    uiPort: number;
    webUrl: string;
  };
  api: { host: string; port: number; publicUrl: string; bodyLimit: string };
  sandboxServers: {
    /** the simulators run apart (`npm run sandbox`), so `npm start` starts none and talks to theirs */
    external: boolean;
    hubspotPort: number;
    zohoPort: number;
    shopPort: number;
    /** the AMQP port of the RabbitMQ node `npm start` runs when AMQP_URL is unset */
    amqpPort: number;
    /** PATH, where `npm start` looks for rabbitmq-server and the node's scripts find erl */
    path: string;
    /** where rabbitmq-server is; undefined: looked for in the usual places */
    rabbitmqBinDir: string | undefined;
    smtpPort: number;
    seedContacts: number;
    seedCompanies: number;
    /** the shop sandbox mode syncs (the simulator), but for the broker: `npm start` provides one when it can */
    shop: Omit<ShopConfig, 'amqpUrl'>;
  };
  hubspot: {
    basePath: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    appId: string;
    portalId: string | undefined;
    activitiesPerSecond: number;
    /** the connector's own cap per rolling 10 s, per process (the queue's rate counts activities, not requests) */
    requestsPerTenSeconds: number;
    /** the share of those live sync may spend: the rest is kept for backfills and initial loads */
    liveShare: number;
    /** the connector's own cap on searches per second, per process (HubSpot limits them apart) */
    searchesPerSecond: number;
  };
  zoho: {
    apiBaseUrl: string;
    accountsUrl: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    channelId: string;
    channelToken: string;
    activitiesPerSecond: number;
  };
  /** undefined: the shop is not configured (sandbox mode: no broker yet), and shop sync is off */
  shop: ShopConfig | undefined;
}

export interface ShopConfig {
  /** base URL; the read API is below /api/v1 */
  apiUrl: string;
  apiKey: string;
  amqpUrl: string;
  /** prepended to every exchange and queue name of the shop contract */
  namePrefix: string;
  activitiesPerSecond: number;
  /** where people open shop records (/<collection>/<id> below it); undefined: no links */
  backOfficeUrl: string | undefined;
}

/** The shop simulator's API key (src/sandbox/shop): public, so refused outside sandbox mode. */
const SANDBOX_SHOP_KEY = 'sandbox-shop-key';

/**
 * DATA_DIR and LOG_LEVEL only, for a tool that must not do what loadConfig does besides (generate the sandbox's
 * secrets under DATA_DIR: into a Docker image, for `npm run build:workflows` in the Dockerfile).
 */
export function loadDataDirConfig(source: Record<string, string | undefined> = process.env): Pick<AppConfig, 'dataDir' | 'logLevel'> {
  const env = parseEnv(source);
  return { dataDir: resolve(env.DATA_DIR), logLevel: env.LOG_LEVEL };
}

/** Parses env (and the sync rules file it names) once per entry point; throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const env = parseEnv(source);
  const sandbox = env.CRM_SANDBOX ?? !(env.HUBSPOT_REFRESH_TOKEN && env.ZOHO_REFRESH_TOKEN);
  if (!sandbox) requireLiveCredentials(env);
  const apiUrl = `http://${env.API_HOST}:${env.API_PORT}`;
  const hubspotSim = `http://127.0.0.1:${env.SANDBOX_HUBSPOT_PORT}`;
  const zohoSim = `http://127.0.0.1:${env.SANDBOX_ZOHO_PORT}`;
  return {
    dataDir: resolve(env.DATA_DIR),
    logLevel: env.LOG_LEVEL,
    sandbox,
    rules: env.SYNC_CONFIG_FILE ? loadRulesFile(env.SYNC_CONFIG_FILE) : DEFAULT_SYNC_RULES,
    databaseUrl: env.DATABASE_URL,
    codecKeys: parseCodecKeys(env.CODEC_KEYS ?? sandboxSecret(resolve(env.DATA_DIR), 'codec-keys')),
    adminToken: env.ADMIN_TOKEN ?? sandboxSecret(resolve(env.DATA_DIR), 'admin-token'),
    metrics: { sdkAddress: env.TEMPORAL_SDK_METRICS_ADDRESS || undefined, workerPort: env.WORKER_METRICS_PORT },
    uiOrigins: (env.UI_ORIGINS ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT},http://localhost:${env.TEMPORAL_UI_PORT}`)
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    report: {
      cron: env.REPORT_CRON,
      smtpUrl: env.SMTP_URL ?? (sandbox ? `smtp://127.0.0.1:${env.SANDBOX_SMTP_PORT}` : undefined),
      from: env.REPORT_FROM,
      to: env.REPORT_TO,
    },
    sync: { coalesceMs: env.SYNC_COALESCE_MS, idleTimeoutMs: env.SYNC_IDLE_TIMEOUT_MS, maxPassesPerRun: env.SYNC_MAX_PASSES_PER_RUN, commandReplyTimeoutMs: env.COMMAND_REPLY_TIMEOUT, liveTasks: env.SYNC_LIVE_TASKS, loadTasks: env.SYNC_LOAD_TASKS },
    reconcile: { intervalMs: env.RECONCILE_INTERVAL, overlapMs: env.RECONCILE_OVERLAP, settleMs: env.RECONCILE_SETTLE },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      cliPath: findTemporalCli(env.TEMPORAL_CLI_PATH, source.PATH),
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      webUrl: env.TEMPORAL_WEB_URL ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
    },
    api: { host: env.API_HOST, port: env.API_PORT, publicUrl: env.PUBLIC_URL ?? apiUrl, bodyLimit: env.WEBHOOK_BODY_LIMIT },
    sandboxServers: {
      external: env.SANDBOX_SIMULATORS === 'external',
      hubspotPort: env.SANDBOX_HUBSPOT_PORT,
      zohoPort: env.SANDBOX_ZOHO_PORT,
      shopPort: env.SANDBOX_SHOP_PORT,
      amqpPort: env.SANDBOX_AMQP_PORT,
      path: source.PATH ?? '',
      rabbitmqBinDir: env.RABBITMQ_BIN_DIR,
      smtpPort: env.SANDBOX_SMTP_PORT,
      seedContacts: env.SANDBOX_SEED_CONTACTS,
      seedCompanies: env.SANDBOX_SEED_COMPANIES,
      shop: shopSettings(env, env.SHOP_API_URL ?? `http://127.0.0.1:${env.SANDBOX_SHOP_PORT}`),
    },
    hubspot: {
      basePath: env.HUBSPOT_BASE_URL ?? (sandbox ? hubspotSim : 'https://api.hubapi.com'),
      clientId: env.HUBSPOT_CLIENT_ID,
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
      refreshToken: env.HUBSPOT_REFRESH_TOKEN ?? 'sandbox-hubspot-refresh',
      appId: env.HUBSPOT_APP_ID,
      portalId: env.HUBSPOT_PORTAL_ID,
      activitiesPerSecond: env.HUBSPOT_ACTIVITIES_PER_SECOND,
      requestsPerTenSeconds: env.HUBSPOT_REQUESTS_PER_10S,
      liveShare: env.HUBSPOT_LIVE_SHARE,
      searchesPerSecond: env.HUBSPOT_SEARCHES_PER_SECOND,
    },
    zoho: {
      apiBaseUrl: env.ZOHO_API_BASE_URL ?? (sandbox ? zohoSim : 'https://www.zohoapis.com'),
      accountsUrl: env.ZOHO_ACCOUNTS_URL ?? (sandbox ? zohoSim : 'https://accounts.zoho.com'),
      clientId: env.ZOHO_CLIENT_ID,
      clientSecret: env.ZOHO_CLIENT_SECRET,
      refreshToken: env.ZOHO_REFRESH_TOKEN ?? 'sandbox-zoho-refresh',
      channelId: env.ZOHO_CHANNEL_ID,
      channelToken: env.ZOHO_CHANNEL_TOKEN,
      activitiesPerSecond: env.ZOHO_ACTIVITIES_PER_SECOND,
    },
    shop: shopConfig(env, sandbox),
  };
}

/**
 * Live mode syncs the shop only when SHOP_API_URL is set. Sandbox mode talks to the shop simulator, which needs a
 * broker: with AMQP_URL the shop is on in every process; without, it is off unless `npm start` runs a broker of its
 * own (withSandboxBroker), so that no process waits on a broker that is not there.
 */
function shopConfig(env: Env, sandbox: boolean): ShopConfig | undefined {
  const apiUrl = env.SHOP_API_URL ?? (sandbox ? `http://127.0.0.1:${env.SANDBOX_SHOP_PORT}` : undefined);
  if (apiUrl === undefined || env.AMQP_URL === undefined) return undefined;
  return { ...shopSettings(env, apiUrl), amqpUrl: env.AMQP_URL };
}

function shopSettings(env: Env, apiUrl: string): Omit<ShopConfig, 'amqpUrl'> {
  return {
    apiUrl,
    apiKey: env.SHOP_API_KEY ?? SANDBOX_SHOP_KEY,
    namePrefix: env.SHOP_NAME_PREFIX,
    activitiesPerSecond: env.SHOP_ACTIVITIES_PER_SECOND,
    backOfficeUrl: env.SHOP_BACK_OFFICE_URL,
  };
}

/** Sandbox mode with the broker `npm start` started: the shop simulator's settings on it, so the shop is on. */
export function withSandboxBroker(config: AppConfig, amqpUrl: string): AppConfig {
  return { ...config, shop: { ...config.sandboxServers.shop, amqpUrl } };
}

/** Live mode must not fall back to the sandbox's well-known secrets. */
function requireLiveCredentials(env: Env): void {
  const problems: string[] = [];
  const required: [keyof Env, string][] = [
    ['HUBSPOT_REFRESH_TOKEN', 'a HubSpot OAuth refresh token'],
    ['ZOHO_REFRESH_TOKEN', 'a Zoho OAuth refresh token'],
    ['CODEC_KEYS', 'payload encryption keys, e.g. k1:$(openssl rand -base64 32)'],
    ['ADMIN_TOKEN', 'a bearer token for the codec server and metrics'],
  ];
  for (const [name, what] of required) if (!env[name]) problems.push(`${name}: required outside sandbox mode (${what})`);
  const sandboxDefaults: [keyof Env, string][] = [
    ['HUBSPOT_CLIENT_SECRET', 'sandbox-hubspot-secret'],
    ['ZOHO_CLIENT_SECRET', 'sandbox-zoho-secret'],
    ['ZOHO_CHANNEL_TOKEN', 'crm-sync-sandbox-channel-token'],
  ];
  for (const [name, value] of sandboxDefaults) {
    if (env[name] === value) problems.push(`${name}: set your own value outside sandbox mode (the sandbox default is public)`);
  }
  if (env.SHOP_API_URL) {
    if (!env.SHOP_API_KEY) problems.push('SHOP_API_KEY: required with SHOP_API_URL (the shop read API key)');
    else if (env.SHOP_API_KEY === SANDBOX_SHOP_KEY) problems.push('SHOP_API_KEY: set your own value outside sandbox mode (the sandbox default is public)');
    if (!env.AMQP_URL) problems.push('AMQP_URL: required with SHOP_API_URL (the broker the shop sends events and takes commands on)');
  }
  if (problems.length) throw new ConfigError(problems);
}

function parseCodecKeys(text: string): KeyRing {
  try {
    return parseKeyRing(text);
  } catch (error) {
    throw new ConfigError([`CODEC_KEYS: ${(error as Error).message}`]);
  }
}

function loadRulesFile(path: string): SyncRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`SYNC_CONFIG_FILE: cannot read ${path} (${(error as Error).message})`]);
  }
  try {
    return parseSyncRules(JSON.parse(text));
  } catch (error) {
    throw new ConfigError([`SYNC_CONFIG_FILE (${path}): ${(error as Error).message}`]);
  }
}

/**
 * The Temporal frontend every entry point connects to: TEMPORAL_ADDRESS, else the embedded dev server that `npm start`
 * runs on TEMPORAL_PORT. One function, so that the worker, the API and the CLI cannot disagree about which server.
 */
export function temporalAddress(config: AppConfig): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
}

export function dataPath(config: Pick<AppConfig, 'dataDir'>, ...parts: string[]): string {
  return join(config.dataDir, ...parts);
}
