import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { AuthError, CrmError, PermanentCrmError, RateLimitedError, TransientCrmError } from '../errors';
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

export interface ZohoRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the API domain, e.g. /crm/v8/Contacts */
  path: string;
  params?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A response the caller interprets: any 2xx, or a 400 whose body lists per-item results (`data`/`watch`/`fields`). */
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
  const client: AxiosInstance = axios.create({
    baseURL: options.apiBaseUrl,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Every status is interpreted below; axios errors would carry the request config (and the token) around.
    validateStatus: () => true,
  });

  const send = async (operation: string, request: ZohoRequest, token: string): Promise<AxiosResponse<unknown>> => {
    const started = Date.now();
    try {
      const response = await client.request<unknown>({
        method: request.method,
        url: request.path,
        params: request.params,
        data: request.body,
        headers: { ...request.headers, Authorization: `Zoho-oauthtoken ${token}` },
      });
      options.observer?.onCall({ system: ZOHO, operation, status: response.status, durationMs: Date.now() - started });
      return response;
    } catch (error) {
      options.observer?.onCall({ system: ZOHO, operation, status: 'network-error', durationMs: Date.now() - started });
      const code = isAxiosError(error) ? (error.code ?? 'network error') : 'network error';
      // A fresh error on purpose: the axios one references the request headers, including the token.
      throw new TransientCrmError(`Zoho ${operation} failed: ${code}`);
    }
  };

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
    if (status === 400 && parsed === null && hasRecordResults(body)) return { status, body };
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

function retryAfterMs(response: AxiosResponse<unknown>): number | undefined {
  const raw: unknown = response.headers['retry-after'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const at = Date.parse(String(raw));
  return Number.isNaN(at) ? undefined : Math.max(1, at - Date.now());
}
