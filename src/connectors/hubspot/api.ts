import { Client } from '@hubspot/api-client';
import { AuthError, CrmError } from '../errors';
import type { GrantedSlot } from '../http/request-context';
import { createRequestPacer, type RequestPacer } from '../http/request-pacer';
import { createTimeoutAgent } from '../http/timeout-agent';
import type { TokenProvider } from '../oauth/token-provider';
import type { CrmCallObserver } from '../types';
import { DEFAULT_RATE_LIMIT_DEFAULTS, HubspotApiException, toHubspotCrmError, type RateLimitDefaults } from './api-error';
import { HUBSPOT } from './snapshot';

export interface HubspotApiOptions {
  /** e.g. https://api.hubapi.com, or a simulator's URL; no trailing slash. */
  basePath: string;
  tokens: TokenProvider;
  observer?: CrmCallObserver;
  /** A request with no answer for this long fails as transient (default 30 s). */
  timeoutMs?: number;
  rateLimits?: RateLimitDefaults;
  /** client-side cap on requests per rolling 10 s (HubSpot's burst window) in this process; unset: none */
  requestsPerTenSeconds?: number;
  /** the share of that cap live sync may spend (PacerOptions.liveShare) */
  liveShare?: number;
  /** client-side cap on search requests per second in this process (search's own limit); unset: none */
  searchesPerSecond?: number;
}

export interface HubspotApi {
  /**
   * Runs one SDK call with a current access token. A 401 forces one token refresh and one retry of that call;
   * nothing else is retried here (Temporal owns retries). Throws only typed CRM errors.
   */
  call<T>(operation: string, run: (client: Client, options: SdkCallOptions) => Promise<T>): Promise<T>;
  /**
   * `call` for a CRM search: HubSpot holds searches to a per-second limit of their own and leaves them out of the
   * 10-second budget, so they are paced to that limit instead.
   */
  search<T>(operation: string, run: (client: Client, options: SdkCallOptions) => Promise<T>): Promise<T>;
  /** A slot of the 10-second budget, with a client-side cap only (CrmConnector.awaitRequestSlot). */
  readonly awaitRequestSlot?: () => Promise<GrantedSlot>;
  /** A slot of search's own budget, with a client-side cap only. */
  readonly awaitSearchSlot?: () => Promise<GrantedSlot>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const TEN_SECONDS = 10_000;
/**
 * HubSpot counts a request when it arrives, and requests do not all travel equally long: paced to exactly 10 s, a
 * request sent just as the oldest one leaves our window can land inside HubSpot's (the bench saw 131 429s in 5
 * minutes at saturation). Half a second of slack costs 5 % of the budget only when it is all in use.
 */
const ARRIVAL_JITTER_MS = 500;
/** The same slack for search's one-second window: a fifth of it. */
const SEARCH_ARRIVAL_JITTER_MS = 200;

/**
 * Per-call options every SDK call must be given. The 13.x generated APIs apply the configured middleware (the one
 * that sets `httpAgent`, and the User-Agent header) only when a call passes `_options.middleware`; without this
 * the timeout agent is silently ignored. An empty list with "append" keeps exactly the configured middleware.
 */
export interface SdkCallOptions {
  middleware: never[];
  middlewareMergeStrategy: 'append';
}

export const sdkCallOptions = (): SdkCallOptions => ({ middleware: [], middlewareMergeStrategy: 'append' });

export function createHubspotApi(options: HubspotApiOptions): HubspotApi {
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMIT_DEFAULTS;
  // numberOfApiCallRetries 0: the SDK's own retry loop sleeps inside the activity (10 s per 429) and hides failures.
  const client = new Client({
    basePath: options.basePath,
    numberOfApiCallRetries: 0,
    httpAgent: createTimeoutAgent(options.basePath, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  let clientToken: string | undefined;
  const pacer = options.requestsPerTenSeconds === undefined ? null : createRequestPacer(options.requestsPerTenSeconds, TEN_SECONDS + ARRIVAL_JITTER_MS, { liveShare: options.liveShare });
  const searchPacer = options.searchesPerSecond === undefined ? null : createRequestPacer(options.searchesPerSecond, 1000 + SEARCH_ARRIVAL_JITTER_MS);

  const clientFor = (token: string): Client => {
    // setAccessToken rebuilds the API groups; requests already in flight keep the token they were built with.
    if (token !== clientToken) {
      client.setAccessToken(token);
      clientToken = token;
    }
    return client;
  };

  const observed = async <T>(operation: string, token: string, run: (client: Client, options: SdkCallOptions) => Promise<T>, paced: RequestPacer | null): Promise<T> => {
    await paced?.acquire();
    const started = Date.now();
    try {
      const result = await run(clientFor(token), sdkCallOptions());
      options.observer?.onCall({ system: HUBSPOT, operation, status: 200, durationMs: Date.now() - started });
      return result;
    } catch (error) {
      const api = HubspotApiException.safeParse(error);
      const status = api.success ? api.data.code : 'network-error';
      options.observer?.onCall({ system: HUBSPOT, operation, status, durationMs: Date.now() - started });
      throw error;
    }
  };

  const isUnauthorized = (error: unknown): boolean => HubspotApiException.safeParse(error).data?.code === 401;

  const call = async <T>(operation: string, run: (client: Client, options: SdkCallOptions) => Promise<T>, paced: RequestPacer | null): Promise<T> => {
    try {
      const token = await options.tokens.getAccessToken();
      try {
        return await observed(operation, token, run, paced);
      } catch (error) {
        if (!isUnauthorized(error)) throw error;
        const fresh = await options.tokens.forceRefresh(token);
        try {
          return await observed(operation, fresh, run, paced);
        } catch (retryError) {
          if (isUnauthorized(retryError)) throw new AuthError(`HubSpot ${operation}: access token refused after a refresh`, 401);
          throw retryError;
        }
      }
    } catch (error) {
      if (error instanceof CrmError) throw error;
      throw toHubspotCrmError(error, operation, limits);
    }
  };

  return {
    ...(pacer ? { awaitRequestSlot: () => pacer.grantSlot() } : {}),
    ...(searchPacer ? { awaitSearchSlot: () => searchPacer.grantSlot() } : {}),
    call: (operation, run) => call(operation, run, pacer),
    search: (operation, run) => call(operation, run, searchPacer),
  };
}
