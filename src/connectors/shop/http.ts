import { z } from 'zod';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  PermanentCrmError,
  RateLimitedError,
  TransientCrmError,
  ValidationError,
} from '../errors';
import { createObservedAxios, retryAfterMs, type HttpRequest } from '../http/observed-axios';
import type { CrmCallObserver } from '../types';
import { SHOP } from './snapshot';

export interface ShopHttpOptions {
  /** The shop's base URL, e.g. https://shop.example.com (the read API is below /api/v1), or the simulator's. */
  apiUrl: string;
  apiKey: string;
  observer?: CrmCallObserver;
  /** A request still unanswered after this long fails as transient. Default 30 s. */
  timeoutMs?: number;
  /** Wait suggested after a 429 without Retry-After. Default 5 s. */
  rateLimitDefaultMs?: number;
}

export interface ShopHttp {
  /** One read-API call; the parsed 2xx body. Throws only typed CRM errors; nothing is retried here. */
  request(operation: string, request: HttpRequest): Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RATE_LIMIT_MS = 5_000;

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export function createShopHttp(options: ShopHttpOptions): ShopHttp {
  const send = createObservedAxios({
    system: SHOP,
    label: 'Shop',
    baseUrl: `${options.apiUrl.replace(/\/+$/, '')}/api/v1`,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    observer: options.observer,
  });
  const rateLimitDefaultMs = options.rateLimitDefaultMs ?? DEFAULT_RATE_LIMIT_MS;

  return {
    async request(operation, request) {
      const response = await send(operation, { ...request, headers: { ...request.headers, Authorization: `Bearer ${options.apiKey}` } });
      const { status } = response;
      if (status >= 200 && status < 300) return response.data;
      const parsed = ErrorBody.safeParse(response.data);
      const what = `Shop ${operation} answered ${status}${parsed.success ? ` ${parsed.data.error.code}` : ''}`;
      if (status === 429) throw new RateLimitedError(what, retryAfterMs(response) ?? rateLimitDefaultMs, status);
      if (status >= 500) throw new TransientCrmError(what, status);
      if (status === 401 || status === 403) throw new AuthError(what, status);
      if (status === 404) throw new NotFoundError(what, status);
      if (status === 409) throw new ConflictError(what, undefined, status);
      // The read API's 400s name a query parameter, never a record's values.
      if (status === 400) throw new ValidationError(parsed.success ? `${what}: ${parsed.data.error.message}` : what, [], status, parsed.data?.error.code);
      throw new PermanentCrmError(what, status);
    },
  };
}
