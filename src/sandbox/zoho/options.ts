import type { FaultSettings } from '../common/faults';

/** Minimal logger contract (pino-compatible) so the simulator never writes to the console itself. */
export interface SimLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * Every knob of the Zoho simulator. Defaults follow the public sources listed in README.md (Sources); the ones no
 * primary source confirms are marked UNCONFIRMED so a test (or a user) can flip them to the other reported behaviour.
 */
export interface ZohoSimulatorOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessTokenTtlSeconds: number;
  /** Access tokens one refresh token may mint per `tokenThrottleWindowMs` (Zoho: 10 per 10 minutes). */
  tokenRequestsPer10Min: number;
  tokenThrottleWindowMs: number;
  /** The 16th live token invalidates the oldest (Zoho: 15). */
  maxActiveTokensPerRefreshToken: number;
  /** UNCONFIRMED: Kaizen #43 says the throttle answer stays HTTP 200, third-party code saw 400. */
  tokenThrottleStatus: 200 | 400;
  /** UNCONFIRMED: two documented wordings of the throttle body. */
  tokenThrottleBody: 'too-many-requests' | 'throttle-limit';
  /** Granted to every token; only GET /users checks it (OAUTH_SCOPE_MISMATCH without ZohoCRM.users.READ or .ALL). */
  scope: string;
  maxConcurrentPerToken: number;
  /** API credits per rolling window (Zoho: 24 h rolling, per org). */
  dailyCredits: number;
  creditWindowMs: number;
  /** UNCONFIRMED: TOO_MANY_REQUESTS (status-codes page) vs RATE_LIMIT_EXCEEDED (newer OAS examples). */
  rateLimitCode: 'TOO_MANY_REQUESTS' | 'RATE_LIMIT_EXCEEDED';
  /** Sent once half the credits are used (secondary source; null disables). UNCONFIRMED. */
  creditsRemainingHeader: string | null;
  /** Time before a written record is visible to /search at its new values. */
  searchIndexDelayMs: number;
  /** Zoho documents that search `equals` behaves like "contains"; 'exact' turns that off. */
  searchEqualsMode: 'contains' | 'exact';
  /** URL clients should use for the CRM API (token response api_domain); defaults to the simulator's own URL. */
  apiDomain?: string;
  /** Load state from this JSON file at start (if present); write it as data changes and on close. */
  snapshotFile?: string;
  /** Changes within this window share one snapshot write. */
  snapshotDelayMs: number;
  /**
   * UNCONFIRMED whether Contacts.Email blocks duplicates by default: inserts check "unique fields"
   * (https://www.zoho.com/crm/help/api/v2/insert-records-examples.html), probably only fields marked unique.
   */
  uniqueStandardFields: { Contacts: string[]; Accounts: string[] };
  /** Unknown field API names in a write: the brief asks for INVALID_DATA; 'ignore' drops them silently. */
  unknownFieldPolicy: 'error' | 'ignore';
  /** UNCONFIRMED: the OAS says GET by unknown id answers 204. */
  missingRecordStatus: 204 | 400;
  /** Offset used when formatting Created_Time/Modified_Time (Zoho shows the org's time zone). */
  utcOffsetMinutes: number;
  /** Events for the same channel/module/operation within this window share one callback (ids batched). */
  notifyBatchMs: number;
  /** UNCONFIRMED: Zoho does not document callback retries. Attempts after the first failure. */
  notifyRetries: number;
  notifyRetryBaseMs: number;
  notifyTimeoutMs: number;
  /**
   * UNCONFIRMED shape of `affected_fields` on update callbacks: 'per-record' = [{"<id>": ["Email", ...]}],
   * 'names' = ["Email", ...] across the batch, 'empty' = [] (the only value the docs' sample shows).
   */
  affectedFieldsFormat: 'per-record' | 'names' | 'empty';
  /** Channel expiry when absent or beyond the maximum (Zoho: 1 hour; maximum 1 week since v4). */
  channelDefaultExpiryMs: number;
  channelMaxExpiryMs: number;
  /** Docs say ≤50 characters, v8 OAS says ≤256. */
  maxWatchTokenLength: number;
  pageTokenTtlMs: number;
  discretePageLimit: number;
  navigationLimit: number;
  searchRecordLimit: number;
  /** The one CRM user every record is owned by and written as. */
  user: { id: string; name: string; email: string; zuid: string };
  /** Fixed start of the seeded data's Created_Time range, so seeds are reproducible. */
  seedEpoch: string;
  faults: Partial<FaultSettings>;
  logger?: SimLogger;
}

export const DEFAULT_ZOHO_OPTIONS: ZohoSimulatorOptions = {
  host: '127.0.0.1',
  port: 3102,
  clientId: 'sandbox-zoho-client',
  clientSecret: 'sandbox-zoho-secret',
  refreshToken: 'sandbox-zoho-refresh',
  accessTokenTtlSeconds: 3600,
  tokenRequestsPer10Min: 10,
  tokenThrottleWindowMs: 10 * 60_000,
  maxActiveTokensPerRefreshToken: 15,
  tokenThrottleStatus: 400,
  tokenThrottleBody: 'too-many-requests',
  scope: 'ZohoCRM.modules.ALL ZohoCRM.settings.ALL ZohoCRM.notifications.ALL ZohoCRM.coql.READ ZohoCRM.users.READ',
  maxConcurrentPerToken: 10,
  dailyCredits: 5_000_000,
  creditWindowMs: 24 * 3_600_000,
  rateLimitCode: 'TOO_MANY_REQUESTS',
  creditsRemainingHeader: 'X-API-CREDITS-REMAINING',
  searchIndexDelayMs: 1000,
  snapshotDelayMs: 200,
  searchEqualsMode: 'contains',
  uniqueStandardFields: { Contacts: [], Accounts: [] },
  unknownFieldPolicy: 'error',
  missingRecordStatus: 204,
  utcOffsetMinutes: 0,
  notifyBatchMs: 50,
  notifyRetries: 3,
  notifyRetryBaseMs: 200,
  notifyTimeoutMs: 5000,
  affectedFieldsFormat: 'per-record',
  channelDefaultExpiryMs: 3_600_000,
  channelMaxExpiryMs: 7 * 24 * 3_600_000,
  maxWatchTokenLength: 50,
  pageTokenTtlMs: 24 * 3_600_000,
  discretePageLimit: 2000,
  navigationLimit: 100_000,
  searchRecordLimit: 2000,
  user: { id: '5725767000000411001', name: 'Patricia Boyle', email: 'patricia.boyle@sandbox.example', zuid: '75092197' },
  seedEpoch: '2025-01-01T00:00:00Z',
  faults: {},
};

export function resolveOptions(partial: Partial<ZohoSimulatorOptions> = {}): ZohoSimulatorOptions {
  return {
    ...DEFAULT_ZOHO_OPTIONS,
    ...partial,
    uniqueStandardFields: { ...DEFAULT_ZOHO_OPTIONS.uniqueStandardFields, ...partial.uniqueStandardFields },
    user: { ...DEFAULT_ZOHO_OPTIONS.user, ...partial.user },
    faults: { ...partial.faults },
  };
}
