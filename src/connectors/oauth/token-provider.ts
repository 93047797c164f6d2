import type { SystemName } from '../../domain/records';
import type { StoredToken, SyncStore } from '../../store/types';
import { AuthError } from '../errors';
import type { CrmCallObserver } from '../types';

/** What a token endpoint answered; `refreshToken` only when the CRM rotated it (HubSpot may, Zoho never does). */
export interface ExchangedToken {
  accessToken: string;
  refreshToken?: string;
  expiresInSeconds: number;
}

/** Trades a refresh token for an access token. Throws typed CRM errors (AuthError when the token is refused). */
export type TokenExchange = (refreshToken: string) => Promise<ExchangedToken>;

export interface TokenProviderOptions {
  system: SystemName;
  store: Pick<SyncStore, 'getToken' | 'withTokenLock'>;
  /** The refresh token from configuration; used until the store holds one (and as a fallback if the stored one is refused). */
  refreshTokenFromConfig: string;
  exchange: TokenExchange;
  /** Refresh this long before expiry, so a token never expires in flight. Must be shorter than the token lifetime. */
  refreshSkewMs?: number;
  now?: () => number;
  observer?: Pick<CrmCallObserver, 'onTokenRefresh'>;
}

export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /** The CRM refused `rejectedToken`: returns a different token, refreshing unless another caller already did. */
  forceRefresh(rejectedToken: string): Promise<string>;
}

const DEFAULT_SKEW_MS = 5 * 60_000;

/**
 * Access tokens shared by every process through the store. Refreshes are single-flight twice over: one promise per
 * process, and the store's row lock across processes. Zoho throttles token minting (10 per 10 minutes per refresh
 * token) and caps live tokens at 15, so refreshing per call or per worker would lock the connector out.
 * Tokens never appear in logs or error messages.
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { system, store, exchange, observer } = options;
  const skewMs = options.refreshSkewMs ?? DEFAULT_SKEW_MS;
  const now = options.now ?? Date.now;
  let cached: StoredToken | null = null;
  let inFlight: Promise<StoredToken> | null = null;

  // Not a type guard on purpose: a token failing the check is still a token (its refresh token is needed).
  const usable = (token: StoredToken | null, rejected?: string): StoredToken | null =>
    token !== null && token.accessToken !== rejected && token.expiresAt - skewMs > now() ? token : null;

  const exchangeOnce = async (refreshToken: string): Promise<StoredToken> => {
    try {
      const result = await exchange(refreshToken);
      observer?.onTokenRefresh({ system, ok: true });
      return {
        system,
        accessToken: result.accessToken,
        refreshToken: result.refreshToken ?? refreshToken,
        expiresAt: now() + result.expiresInSeconds * 1000,
      };
    } catch (error) {
      observer?.onTokenRefresh({ system, ok: false });
      throw error;
    }
  };

  const refreshLocked = (rejected: string | undefined): Promise<StoredToken> =>
    store.withTokenLock(system, async (current) => {
      // Another process may have refreshed while we waited for the lock: reuse its token.
      const reusable = usable(current, rejected);
      if (reusable) return reusable;
      const stored = current?.refreshToken;
      if (stored === undefined || stored === options.refreshTokenFromConfig) return exchangeOnce(options.refreshTokenFromConfig);
      try {
        return await exchangeOnce(stored);
      } catch (error) {
        // An operator who re-authorised the app puts the new refresh token in config; the stored one is then revoked.
        if (!(error instanceof AuthError)) throw error;
        return exchangeOnce(options.refreshTokenFromConfig);
      }
    });

  const refresh = (rejected: string | undefined): Promise<StoredToken> => {
    if (!inFlight) {
      inFlight = refreshLocked(rejected)
        .then((token) => {
          cached = token;
          return token;
        })
        .finally(() => {
          inFlight = null;
        });
    }
    return inFlight;
  };

  return {
    async getAccessToken() {
      const fromCache = usable(cached);
      if (fromCache) return fromCache.accessToken;
      if (inFlight) return (await inFlight).accessToken;
      const stored = usable(await store.getToken(system));
      if (stored) {
        cached = stored;
        return stored.accessToken;
      }
      return (await refresh(undefined)).accessToken;
    },
    async forceRefresh(rejectedToken) {
      const fromCache = usable(cached, rejectedToken);
      if (fromCache) return fromCache.accessToken;
      const token = await refresh(rejectedToken);
      if (token.accessToken !== rejectedToken) return token.accessToken;
      // The in-flight refresh we joined was started for an older token and returned the one just rejected.
      return (await refresh(rejectedToken)).accessToken;
    },
  };
}
