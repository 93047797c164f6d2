import type { ObjectType } from './object-types';

export interface HubspotWebhookOptions {
  /** Where events are POSTed; null delivers nothing (like an app with no target URL). */
  targetUrl: string | null;
  /** Events within this window travel in one request. */
  batchDelayMs: number;
  /** UNCONFIRMED upstream ("up to 100" is third-party); 100 by default. */
  maxBatchSize: number;
  timeoutMs: number;
  /** Total delivery attempts per batch (attemptNumber 0 .. maxAttempts-1). */
  maxAttempts: number;
  /** First retry delay; doubles per retry (±25% jitter). Real HubSpot spreads 10 retries over ~24 h. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxConcurrentRequests: number;
  /** Whether 4xx codes other than 400/401/403/404/405 (e.g. 409, 422) are retried (UNCONFIRMED; old docs say yes). */
  retryOtherClientErrors: boolean;
  /** changeSource for writes made through the API with an OAuth token (UNCONFIRMED: "INTEGRATION" or "API"). */
  apiChangeSource: string;
  /** changeSource for /_sim/ui edits. */
  uiChangeSource: string;
  /** userId in sourceId "userId:N" for /_sim/ui edits. */
  uiUserId: number;
  /** Whether a creation also emits propertyChange events for each property set (HubSpot does for subscribed properties). */
  propertyChangeOnCreate: boolean;
  /** Properties that emit propertyChange events; null = every writable property (as if subscribed to all). */
  propertyNames: string[] | null;
}

export interface HubspotRateLimitOptions {
  /** Requests per token per rolling 10 s (100 free/starter and classic public apps, 110/190/250 other tiers). */
  perTenSeconds: number;
  /** Search requests per token per second (UNCONFIRMED: 4 historically, 5 cited lately). */
  searchPerSecond: number;
}

export interface HubspotSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  appId: number;
  portalId: number;
  clientId: string;
  /** Also the webhook signing secret, as in HubSpot. */
  clientSecret: string;
  /** The refresh token the simulator accepts from the start (the installed app's token). */
  refreshToken: string;
  /** Whether each refresh returns a new refresh token (UNCONFIRMED; HubSpot usually returns the same one). */
  rotateRefreshToken: boolean;
  accessTokenTtlSeconds: number;
  rateLimit: HubspotRateLimitOptions;
  /** Search results lag writes by this much, like HubSpot's asynchronously updated search index. */
  searchIndexDelayMs: number;
  /** Search refuses to page past this many results (400). */
  searchResultCap: number;
  /** Largest `limit` honoured by list calls (UNCONFIRMED; SDK pages with 100). Larger values are clamped. */
  listMaxLimit: number;
  /** Largest batch input list (UNCONFIRMED upstream text; 100 per third parties). */
  batchMaxInputs: number;
  /** v4 association ids as numbers (widely observed) or strings (as typed by the spec). */
  numericAssociationIds: boolean;
  /**
   * Status for a duplicate value of a hasUniqueValue property: 400 "already has that value" without the existing id
   * (third-party reports, the default) or 409 naming the existing id like a duplicate contact email (UNCONFIRMED).
   */
  uniqueConflictStatus: 400 | 409;
  /** First ids handed out per object; distinct ranges make id mix-ups visible in tests. */
  firstId: Record<ObjectType, number>;
  webhook: HubspotWebhookOptions;
  /** If set, data is loaded from this JSON file on start (when it exists), saved as it changes and on close. */
  snapshotFile?: string;
  /** Changes within this window share one snapshot write. */
  snapshotDelayMs: number;
  /** Seed for the fault dice and webhook jitter; unset uses Math.random. */
  randomSeed?: number;
}

export type HubspotSimulatorInput = Partial<Omit<HubspotSimulatorOptions, 'rateLimit' | 'webhook' | 'firstId'>> & {
  rateLimit?: Partial<HubspotRateLimitOptions>;
  webhook?: Partial<HubspotWebhookOptions>;
  firstId?: Partial<HubspotSimulatorOptions['firstId']>;
};

export const DEFAULT_OPTIONS: HubspotSimulatorOptions = {
  host: '127.0.0.1',
  port: 3101,
  appId: 1001,
  portalId: 62515,
  clientId: 'sandbox-hubspot-client',
  clientSecret: 'sandbox-hubspot-secret',
  refreshToken: 'sandbox-hubspot-refresh',
  rotateRefreshToken: false,
  accessTokenTtlSeconds: 1800,
  rateLimit: { perTenSeconds: 100, searchPerSecond: 5 },
  searchIndexDelayMs: 1000,
  snapshotDelayMs: 200,
  searchResultCap: 10_000,
  listMaxLimit: 100,
  batchMaxInputs: 100,
  numericAssociationIds: true,
  uniqueConflictStatus: 400,
  firstId: { contacts: 1001, companies: 5_000_001, deals: 9_000_001 },
  webhook: {
    targetUrl: null,
    batchDelayMs: 50,
    maxBatchSize: 100,
    timeoutMs: 5000,
    maxAttempts: 10,
    backoffBaseMs: 100,
    backoffMaxMs: 30_000,
    maxConcurrentRequests: 5,
    retryOtherClientErrors: true,
    apiChangeSource: 'INTEGRATION',
    uiChangeSource: 'CRM_UI',
    uiUserId: 4_242_001,
    propertyChangeOnCreate: true,
    propertyNames: null,
  },
};

export function resolveOptions(input: HubspotSimulatorInput = {}): HubspotSimulatorOptions {
  return {
    ...DEFAULT_OPTIONS,
    ...input,
    rateLimit: { ...DEFAULT_OPTIONS.rateLimit, ...input.rateLimit },
    webhook: { ...DEFAULT_OPTIONS.webhook, ...input.webhook },
    firstId: { ...DEFAULT_OPTIONS.firstId, ...input.firstId },
  };
}
