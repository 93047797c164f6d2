import type { Request } from 'express';
import { queryString } from '../common/route';
import { ZohoHttpError, errors, zohoError } from './errors';

/** An integer query parameter within [min, max], or the default; anything else is INVALID_DATA. */
export function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw errors.invalidParam(name);
  return n;
}

export function enumParam<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: T): T {
  const raw = queryString(req, name);
  if (raw === undefined || raw === '') return fallback;
  const found = allowed.find((a) => a === raw);
  if (!found) throw errors.invalidParam(name);
  return found;
}

export const MAX_FIELDS = 50;

/** `fields`: comma-separated API names, at most 50 (Zoho: LIMIT_EXCEEDED beyond). */
export function fieldsParam(req: Request, required: boolean): string[] | undefined {
  const raw = queryString(req, 'fields');
  if (raw === undefined || raw.trim() === '') {
    if (required) throw errors.requiredParam('fields');
    return undefined;
  }
  const fields = [...new Set(raw.split(',').map((f) => f.trim()).filter(Boolean))];
  if (fields.length > MAX_FIELDS) {
    throw new ZohoHttpError(400, zohoError('LIMIT_EXCEEDED', 'limit exceeded', { limit: MAX_FIELDS, param_name: 'fields' }));
  }
  return fields;
}
