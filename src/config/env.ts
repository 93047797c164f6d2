import { z } from 'zod';

/**
 * Every environment variable crm-sync reads, in one schema. Nothing else in the code base reads process.env.
 * Sandbox mode (local simulators) is the default until real credentials for both CRMs are configured.
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** A duration: milliseconds, or a number with a unit (500ms, 30s, 5m, 1h). */
const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(value.trim());
      if (!match) {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 300000, 30s, 5m, 1h)` });
        return z.NEVER;
      }
      return Number(match[1]) * unitMs(match[2]);
    });

function unitMs(unit: string | undefined): number {
  switch (unit) {
    case 'h':
      return 3_600_000;
    case 'm':
      return 60_000;
    case 's':
      return 1000;
    default:
      return 1;
  }
}

/**
 * Half: live edits then gather into larger batches (at 10 edits/s, 0.5 HubSpot requests per edit, and a lower p99 than
 * with the whole budget, bench/README.md), and a backfill or an initial load always gets the other half.
 */
export const DEFAULT_HUBSPOT_LIVE_SHARE = 0.5;

export const EnvSchema = z.object({
  DATA_DIR: z.string().default('.data').describe('directory for local state: Temporal SQLite file, PGlite, mail, the cached workflow bundle'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SYNC_CONFIG_FILE: optionalText.describe('path to a JSON file with sync rules (mappings, hot rule, deletes)'),

  TEMPORAL_ADDRESS: optionalText.describe('host:port of an existing Temporal frontend; unset starts an embedded dev server'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_CLI_PATH: optionalText.describe('path to the Temporal CLI binary used for the embedded dev server'),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_WEB_URL: optionalText.describe('base URL of the Temporal Web UI, for links in reports'),

  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(3000),
  PUBLIC_URL: optionalText.describe('URL at which the CRMs reach this API (webhook and notification target)'),
  WEBHOOK_BODY_LIMIT: z.string().default('1mb').describe('largest accepted webhook body, e.g. 1mb'),

  CRM_SANDBOX: flag.optional().describe('true: use the local simulators; default: true unless both CRMs have credentials'),
  SANDBOX_SIMULATORS: z
    .enum(['embedded', 'external'])
    .default('embedded')
    .describe('sandbox mode: embedded runs the simulators in a child process of `npm start`; external expects them from `npm run sandbox` (same SANDBOX_*_PORT, and its AMQP_URL for the shop)'),
  SANDBOX_HUBSPOT_PORT: port(3101),
  SANDBOX_ZOHO_PORT: port(3102),
  SANDBOX_SHOP_PORT: port(3103),
  RABBITMQ_BIN_DIR: optionalText.describe("directory of rabbitmq-server for the node `npm start` runs; default: /usr/lib/rabbitmq/bin (Debian), else the PATH's"),
  SANDBOX_AMQP_PORT: port(5682).describe("AMQP port of the RabbitMQ node `npm start` runs for the shop simulator when AMQP_URL is unset (not 5672: a system RabbitMQ's)"),
  SANDBOX_SEED_CONTACTS: z.coerce.number().int().min(0).default(50),
  SANDBOX_SEED_COMPANIES: z.coerce.number().int().min(0).default(10),

  HUBSPOT_BASE_URL: optionalText.describe('HubSpot API base URL; default https://api.hubapi.com (sandbox: the simulator)'),
  HUBSPOT_CLIENT_ID: z.string().default('sandbox-hubspot-client'),
  HUBSPOT_CLIENT_SECRET: z.string().default('sandbox-hubspot-secret').describe('OAuth client secret, also the webhook signing secret'),
  HUBSPOT_REFRESH_TOKEN: optionalText,
  HUBSPOT_APP_ID: z.string().default('1001').describe('our app id: events whose sourceId names it are our own writes'),
  HUBSPOT_PORTAL_ID: optionalText,
  HUBSPOT_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(50).describe('server-side rate limit of the HubSpot activity task queue (activities, not requests: HUBSPOT_REQUESTS_PER_10S paces those)'),
  HUBSPOT_REQUESTS_PER_10S: z.coerce.number().int().positive().default(100).describe("cap on HubSpot requests per rolling 10 s in each worker process (HubSpot's burst limit; 100 = Free/Starter)"),
  HUBSPOT_SEARCHES_PER_SECOND: z.coerce.number().int().positive().default(5).describe("cap on HubSpot search requests per second in each worker process (search's own limit, outside the 10 s budget; 5 is what HubSpot is reported to allow)"),
  HUBSPOT_LIVE_SHARE: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(DEFAULT_HUBSPOT_LIVE_SHARE)
    .describe('the share of HUBSPOT_REQUESTS_PER_10S live sync may spend whether or not a backfill waits (below 1: backfills and initial loads always get the rest; 1: live sync may spend it all)'),

  ZOHO_API_BASE_URL: optionalText.describe('Zoho API domain; default https://www.zohoapis.com (sandbox: the simulator)'),
  ZOHO_ACCOUNTS_URL: optionalText.describe('Zoho accounts server; default https://accounts.zoho.com (sandbox: the simulator)'),
  ZOHO_CLIENT_ID: z.string().default('sandbox-zoho-client'),
  ZOHO_CLIENT_SECRET: z.string().default('sandbox-zoho-secret'),
  ZOHO_REFRESH_TOKEN: optionalText,
  ZOHO_CHANNEL_ID: z.string().default('1000000068001').describe('id of the Zoho notification (watch) channel we register'),
  ZOHO_CHANNEL_TOKEN: z.string().min(8).max(50).default('crm-sync-sandbox-channel-token').describe('token Zoho echoes in each notification'),
  ZOHO_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(20).describe('server-side rate limit of the Zoho activity task queue'),

  SHOP_API_URL: optionalText.describe('base URL of the shop (its read API is below /api/v1); unset outside sandbox mode: shop sync off (sandbox: the simulator, on once there is a broker)'),
  SHOP_API_KEY: optionalText.describe("the shop read API's key (Authorization: Bearer); required with SHOP_API_URL"),
  SHOP_BACK_OFFICE_URL: optionalText.describe('where people open shop records, e.g. https://shop.example.com/admin (links to /<collection>/<id>); unset: no links'),
  AMQP_URL: optionalText.describe('RabbitMQ the shop talks on, e.g. amqps://user:pass@broker:5671; required with SHOP_API_URL (sandbox: unset, npm start runs a node of its own if rabbitmq-server is installed)'),
  SHOP_NAME_PREFIX: z.string().default('').describe("prepended to the shop's exchange and queue names (shop.events, …), for a shared broker"),
  SHOP_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(20).describe('server-side rate limit of the shop activity task queue'),
  COMMAND_REPLY_TIMEOUT: duration('60s')
    .refine((ms) => ms >= 100, 'must be at least 100ms')
    .describe('how long a record workflow waits for the shop to answer a command before it looks the record up and sends again, e.g. 60s'),

  SYNC_COALESCE_MS: z.coerce.number().int().min(0).default(0).describe('how long a record workflow gathers a burst of events before one pass (0: no timer; events arriving during a pass still make one next pass)'),
  SYNC_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000).describe('a synced record workflow completes after this long without events'),
  SYNC_LIVE_TASKS: z.coerce.number().int().min(1).default(200).describe("workflow tasks a worker runs at once for live records (task queue crm-sync), local activities twice that: a live pass keeps its task's slot while its CRM calls and store queries run, so this bounds the passes in flight, not the CPU they take"),
  SYNC_LOAD_TASKS: z.coerce.number().int().min(1).default(4).describe('workflow tasks a worker runs at once for records started by bulk traffic (an import, a backfill hand-over), local activities twice that: the share of the worker a backlog takes while live sync goes first'),
  SYNC_MAX_PASSES_PER_RUN: z.coerce.number().int().min(1).default(100).describe('passes before a record workflow continues as new'),

  RECONCILE_INTERVAL: duration('5m')
    .refine((ms) => ms === 0 || ms >= 1000, 'must be 0 (off) or at least 1s')
    .describe('how often each system and object is polled for changes whose event never arrived, e.g. 5m; 0 turns reconciliation off'),
  RECONCILE_OVERLAP: duration('2m').describe('how far each reconciliation run looks back before the newest change the last run saw (search index lag, clock skew)'),
  RECONCILE_SETTLE: duration('30s').describe("how long a change is left to its own event before reconciliation looks at it: each run's window ends this long before the run starts, so records whose events are still being worked on are not handed over a second time"),

  CODEC_KEYS: optionalText.describe('payload encryption keys "id:BASE64[,oldid:BASE64…]", the first encrypts (32-byte keys: openssl rand -base64 32); sandbox: generated under DATA_DIR'),
  ADMIN_TOKEN: optionalText.describe('bearer token for the admin surfaces (codec server, metrics); sandbox: generated under DATA_DIR'),
  UI_ORIGINS: optionalText.describe('comma-separated Web UI origins allowed to call the codec server; default: the embedded UI at TEMPORAL_UI_PORT'),

  REPORT_CRON: z.string().default('0 * * * *').describe('cron of the failure report e-mail (default hourly)'),
  SMTP_URL: optionalText.describe('SMTP server for the failure report, e.g. smtps://user:pass@smtp.example.com; sandbox: the local mail sink'),
  REPORT_FROM: z.string().default('crm-sync@localhost'),
  REPORT_TO: z.string().default('operators@localhost').describe('comma-separated recipients of the failure report'),
  SANDBOX_SMTP_PORT: port(2525),

  TEMPORAL_SDK_METRICS_ADDRESS: z.string().default('127.0.0.1:9464').describe('loopback address of the SDK Prometheus exporter, relayed by /metrics; empty disables'),
  WORKER_METRICS_PORT: port(9465).describe('standalone worker: port of its /metrics (bearer token)'),

  DATABASE_URL: optionalText.describe('PostgreSQL URL for the connector state; unset uses embedded PGlite under DATA_DIR'),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const description = EnvSchema.shape[name as keyof typeof EnvSchema.shape]?.description;
      return `${name}: ${issue.message}${description ? ` (${description})` : ''}`;
    }),
  );
}
