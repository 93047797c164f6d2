import { Client } from '@hubspot/api-client';
import { AuthError, CrmError, RateLimitedError, TransientCrmError } from '../errors';
import type { TokenExchange } from '../oauth/token-provider';
import { createTimeoutAgent } from '../http/timeout-agent';
import { sdkCallOptions } from './api';
import { DEFAULT_RATE_LIMIT_DEFAULTS, HubspotApiException, toHubspotCrmError } from './api-error';

export interface HubspotOAuthClient {
  basePath: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/** POST /oauth/v1/token (form-encoded refresh_token grant) through the SDK. HubSpot may rotate the refresh token. */
export function hubspotTokenExchange(options: HubspotOAuthClient): TokenExchange {
  const client = new Client({
    basePath: options.basePath,
    numberOfApiCallRetries: 0,
    httpAgent: createTimeoutAgent(options.basePath, options.timeoutMs ?? 30_000),
  });
  return async (refreshToken) => {
    try {
      const answer = await client.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        options.clientId,
        options.clientSecret,
        refreshToken,
        sdkCallOptions(),
      );
      return { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresInSeconds: answer.expiresIn };
    } catch (error) {
      throw classifyExchangeError(error);
    }
  };
}

function classifyExchangeError(error: unknown): CrmError {
  const api = HubspotApiException.safeParse(error);
  // The SDK's message embeds the response body; build our own so nothing token-shaped can leak.
  if (!api.success) return toHubspotCrmError(error, 'token refresh', DEFAULT_RATE_LIMIT_DEFAULTS);
  const status = api.data.code;
  if (status === 429) return new RateLimitedError('HubSpot token refresh was rate limited', 10_000);
  if (status >= 500) return new TransientCrmError(`HubSpot token refresh answered ${status}`, status);
  // 400 BAD_REFRESH_TOKEN and friends: the refresh token or client credentials were refused.
  return new AuthError(`HubSpot refused the refresh token (HTTP ${status})`, status);
}
