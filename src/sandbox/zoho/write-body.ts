import { type ZohoErrorBody, errors } from './errors';
import type { FlatRecord } from './record-view';

export interface WriteBody {
  data: unknown[];
  trigger?: string[];
  duplicate_check_fields?: unknown;
}

export const MAX_BATCH = 100;

/** Checks the {"data":[...], "trigger":[...]} envelope every write endpoint shares. */
export function parseWriteBody(body: unknown): WriteBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.invalidBody();
  const data: unknown = Reflect.get(body, 'data');
  if (!Array.isArray(data) || data.length === 0) throw errors.bodyMandatory('data');
  if (data.length > MAX_BATCH) throw errors.bodyLimit('data', MAX_BATCH);
  const trigger: unknown = Reflect.get(body, 'trigger');
  if (trigger !== undefined && (!Array.isArray(trigger) || !trigger.every((t) => typeof t === 'string'))) {
    throw errors.invalidParam('trigger');
  }
  return { data, trigger, duplicate_check_fields: Reflect.get(body, 'duplicate_check_fields') };
}

export interface ItemResult {
  ok: boolean;
  body: ZohoErrorBody | SuccessBody;
}

export interface SuccessBody {
  code: 'SUCCESS';
  details: FlatRecord;
  message: string;
  status: 'success';
  [extra: string]: unknown;
}

export function success(details: FlatRecord, message: string, extra: Record<string, unknown> = {}): ItemResult {
  return { ok: true, body: { code: 'SUCCESS', ...extra, details, message, status: 'success' } };
}

export function failure(error: ZohoErrorBody): ItemResult {
  return { ok: false, body: error };
}

/** 2xx when all items succeeded, 400 when all failed (412 when all for If-Unmodified-Since), 207 Multi-Status when mixed. */
export function batchStatus(results: readonly ItemResult[], allOk: number): number {
  const oks = results.filter((r) => r.ok).length;
  if (oks === results.length) return allOk;
  if (oks === 0) return results.every((r) => r.body.code === 'ALREADY_MODIFIED') ? 412 : 400;
  return 207;
}
