import type { AxiosResponse } from 'axios';
import { AuthError, CrmError, PermanentCrmError, RateLimitedError, TransientCrmError } from '../errors';
import { createObservedAxios, retryAfterMs, type HttpRequest } from '../http/observed-axios';
import type { TokenProvider } from '../oauth/token-provider';
import type { CrmCallObserver } from '../types';
import { ZohoErrorBody } from './schemas';
import { ZOHO } from './snapshot';
import { classifyZohoError, isRateLimitBody } from './zoho-errors';

export interface ZohoHttpOptions {
  /** The API domain, e.g. https://www.zohoapis.com (the token response's api_domain), or a simulator's URL. */
  apiBaseUrl: string;
  tokens: TokenProvider;
  observer?: CrmCallObserver;
  /** Default 30 s; a request still unanswered then fails as transient. */
  timeoutMs?: number;
  /** Wait suggested after a 429 without Retry-After (Zoho documents none; UNCONFIRMED). Default 5 s. */
  rateLimitDefaultMs?: number;
}

export type ZohoRequest = HttpRequest;

/** A response the caller interprets: any 2xx, or a 400 or 412 whose body lists per-item results (`data`/`watch`/`fields`). */
export interface ZohoResponse {
  status: number;
  /** Parsed JSON, or null for an empty body (204, 304). */
  body: unknown;
}

export interface ZohoHttp {
  /** One API call; a 401 INVALID_TOKEN forces one token refresh and one retry. Throws only typed CRM errors. */
  request(operation: string, request: ZohoRequest): Promise<ZohoResponse>;
  readonly rateLimitDefaultMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RATE_LIMIT_MS = 5_000;

export function createZohoHttp(options: ZohoHttpOptions): ZohoHttp {
  const rateLimitDefaultMs = options.rateLimitDefaultMs ?? DEFAULT_RATE_LIMIT_MS;
  const sendObserved = createObservedAxios({ system: ZOHO, label: 'Zoho', baseUrl: options.apiBaseUrl, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, observer: options.observer });
  const send = (operation: string, request: ZohoRequest, token: string): Promise<AxiosResponse<unknown>> =>
    sendObserved(operation, { ...request, headers: { ...request.headers, Authorization: `Zoho-oauthtoken ${token}` } });

  const interpret = (operation: string, response: AxiosResponse<unknown>): ZohoResponse => {
    const body = response.data === '' || response.data === undefined ? null : response.data;
    const status = response.status;
    if (status >= 200 && status < 300) return { status, body };
    if (status === 304) return { status, body: null };
    const error = ZohoErrorBody.safeParse(body);
    const parsed = error.success ? error.data : null;
    if (status === 429 || isRateLimitBody(parsed)) {
      throw new RateLimitedError(`Zoho ${operation} was rate limited`, retryAfterMs(response) ?? rateLimitDefaultMs, status);
    }
    // Per-record answers: refusals (400) or If-Unmodified-Since refusals (412), each classified by its caller.
    if ((status === 400 || status === 412) && parsed === null && hasRecordResults(body)) return { status, body };
    if (status >= 500) throw new TransientCrmError(`Zoho ${operation} answered ${status}`, status);
    if (parsed === null) throw new PermanentCrmError(`Zoho ${operation} answered ${status} without a Zoho error body`, status);
    if (status === 401 && parsed.code !== 'OAUTH_SCOPE_MISMATCH') throw new AuthError(`Zoho ${operation} was refused: ${parsed.code}`, status);
    throw classifyZohoError(operation, status, parsed, rateLimitDefaultMs);
  };

  return {
    rateLimitDefaultMs,
    async request(operation, request) {
      try {
        const token = await options.tokens.getAccessToken();
        const first = await send(operation, request, token);
        if (!isInvalidToken(first)) return interpret(operation, first);
        const fresh = await options.tokens.forceRefresh(token);
        const second = await send(operation, request, fresh);
        if (isInvalidToken(second)) throw new AuthError(`Zoho ${operation}: access token refused after a refresh`, 401);
        return interpret(operation, second);
      } catch (error) {
        if (error instanceof CrmError) throw error;
        throw new TransientCrmError(`Zoho ${operation} failed unexpectedly`);
      }
    },
  };
}

/** Only an expired/revoked token is worth a refresh; a scope mismatch or a missing header is not. */
function isInvalidToken(response: AxiosResponse<unknown>): boolean {
  if (response.status !== 401) return false;
  const body = ZohoErrorBody.safeParse(response.data);
  return !body.success || body.data.code === 'INVALID_TOKEN' || body.data.code === 'AUTHENTICATION_FAILURE';
}

function hasRecordResults(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  return ['data', 'watch', 'fields'].some((key) => Array.isArray(Reflect.get(body, key)));
}
