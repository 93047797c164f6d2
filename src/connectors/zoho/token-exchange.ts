import axios, { isAxiosError } from 'axios';
import { AuthError, RateLimitedError, TransientCrmError } from '../errors';
import type { TokenExchange } from '../oauth/token-provider';
import { ZohoTokenResponse } from './schemas';

export interface ZohoOAuthClient {
  /** e.g. https://accounts.zoho.com (the data centre the refresh token belongs to). */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  /** Wait suggested when Zoho throttles token minting (10 per 10 minutes per refresh token). Default 60 s. */
  throttleRetryMs?: number;
}

/**
 * POST {accounts}/oauth/v2/token?grant_type=refresh_token&… as Zoho documents it. Zoho answers most failures with
 * HTTP 200 and an `error` body; refresh tokens never rotate, so the stored one is kept.
 */
export function zohoTokenExchange(options: ZohoOAuthClient): TokenExchange {
  const client = axios.create({ baseURL: options.accountsUrl, timeout: options.timeoutMs ?? 30_000, validateStatus: () => true });
  return async (refreshToken) => {
    let status: number;
    let data: unknown;
    try {
      ({ status, data } = await client.post<unknown>('/oauth/v2/token', null, {
        params: {
          grant_type: 'refresh_token',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          refresh_token: refreshToken,
        },
      }));
    } catch (error) {
      // Never rethrow the axios error: its config holds the refresh token and client secret.
      throw new TransientCrmError(`Zoho token refresh failed: ${isAxiosError(error) ? (error.code ?? 'network error') : 'network error'}`);
    }
    if (status >= 500) throw new TransientCrmError(`Zoho token refresh answered ${status}`, status);
    if (status === 429) throw new RateLimitedError('Zoho token refresh was rate limited', options.throttleRetryMs ?? 60_000);
    const parsed = ZohoTokenResponse.safeParse(data);
    if (!parsed.success) throw new TransientCrmError(`Zoho token refresh answered ${status} with an unexpected body`, status);
    const body = parsed.data;
    if ('error' in body) {
      if (body.error === 'Access Denied' || /too many requests|throttle/i.test(body.error_description ?? '')) {
        throw new RateLimitedError('Zoho throttled token refreshes', options.throttleRetryMs ?? 60_000, status);
      }
      // invalid_code (revoked refresh token), invalid_client, invalid_client_secret
      throw new AuthError(`Zoho refused the token refresh: ${body.error}`, status);
    }
    // Old responses had expires_in in milliseconds next to expires_in_sec: prefer the explicit seconds.
    const expiresIn = body.expires_in_sec ?? body.expires_in ?? 3600;
    return { accessToken: body.access_token, expiresInSeconds: expiresIn, ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}) };
  };
}
