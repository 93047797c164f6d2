import axios, { type AxiosResponse, isAxiosError } from 'axios';
import type { SystemName } from '../../domain/records';
import { TransientCrmError } from '../errors';
import type { CrmCallObserver } from '../types';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. /crm/v8/Contacts */
  path: string;
  params?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ObservedAxiosOptions {
  system: SystemName;
  /** How messages name the system, e.g. "Zoho". */
  label: string;
  baseUrl: string;
  /** A request still unanswered after this long fails as transient. */
  timeoutMs: number;
  observer?: CrmCallObserver;
}

/** Sends one request and hands back whatever status it got; the caller classifies it. */
export type ObservedSend = (operation: string, request: HttpRequest) => Promise<AxiosResponse<unknown>>;

/**
 * An axios client for a connector: every call reported to the observer, and a request that got no answer (refused,
 * reset, timed out) thrown as a TransientCrmError. Statuses are left to the caller, because each API spells its
 * errors its own way.
 */
export function createObservedAxios(options: ObservedAxiosOptions): ObservedSend {
  const client = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    // Every status is interpreted by the caller; axios errors would carry the request config (and the credentials) around.
    validateStatus: () => true,
  });
  return async (operation, request) => {
    const started = Date.now();
    try {
      const response = await client.request<unknown>({
        method: request.method,
        url: request.path,
        params: request.params,
        data: request.body,
        headers: request.headers,
      });
      options.observer?.onCall({ system: options.system, operation, status: response.status, durationMs: Date.now() - started });
      return response;
    } catch (error) {
      options.observer?.onCall({ system: options.system, operation, status: 'network-error', durationMs: Date.now() - started });
      const code = isAxiosError(error) ? (error.code ?? 'network error') : 'network error';
      // A fresh error on purpose: the axios one references the request headers, including the credentials.
      throw new TransientCrmError(`${options.label} ${operation} failed: ${code}`);
    }
  };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(response: AxiosResponse<unknown>): number | undefined {
  const raw: unknown = response.headers['retry-after'];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  const at = Date.parse(String(raw));
  return Number.isNaN(at) ? undefined : Math.max(1, at - Date.now());
}
