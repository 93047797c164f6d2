import type { Request } from 'express';
import { queryString } from '../common/route';
import { invalid } from './errors';
import type { RecordMeta } from './records';

const ID = /^[1-9][0-9]{0,17}$/;

export interface ListQuery {
  limit: number;
  after?: bigint;
  idFrom?: bigint;
  idTo?: bigint;
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  email?: string;
  domain?: string;
  externalId?: [string, string];
}

function id(req: Request, name: string): bigint | undefined {
  const value = queryString(req, name);
  if (value === undefined) return undefined;
  if (!ID.test(value)) throw invalid(`${name} must be a shop id`, name);
  return BigInt(value);
}

/** A time bound normalised to the stored form (ISO with milliseconds, UTC), so bounds compare as strings. */
function time(req: Request, name: string): string | undefined {
  const value = queryString(req, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw invalid(`${name} must be an RFC 3339 date-time`, name);
  return new Date(ms).toISOString();
}

export function parseListQuery(req: Request, maxLimit: number): ListQuery {
  const rawLimit = queryString(req, 'limit');
  const limit = rawLimit === undefined ? 100 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw invalid(`limit must be an integer from 1 to ${maxLimit}`, 'limit');
  const external = queryString(req, 'external_id');
  const split = external?.indexOf(':') ?? -1;
  if (external !== undefined && split < 1) throw invalid('external_id must be <system>:<id>', 'external_id');
  return {
    limit,
    after: id(req, 'after'),
    idFrom: id(req, 'id_from'),
    idTo: id(req, 'id_to'),
    createdAfter: time(req, 'created_after'),
    createdBefore: time(req, 'created_before'),
    updatedAfter: time(req, 'updated_after'),
    updatedBefore: time(req, 'updated_before'),
    email: queryString(req, 'email')?.toLowerCase(),
    domain: queryString(req, 'domain')?.toLowerCase(),
    externalId: external === undefined ? undefined : [external.slice(0, split), external.slice(split + 1)],
  };
}

function matches(row: RecordMeta, q: ListQuery): boolean {
  const id = BigInt(row.id);
  if (q.after !== undefined && id <= q.after) return false;
  if (q.idFrom !== undefined && id < q.idFrom) return false;
  if (q.idTo !== undefined && id > q.idTo) return false;
  if (q.createdAfter !== undefined && row.created_at < q.createdAfter) return false;
  if (q.createdBefore !== undefined && row.created_at >= q.createdBefore) return false;
  if (q.updatedAfter !== undefined && row.updated_at < q.updatedAfter) return false;
  if (q.updatedBefore !== undefined && row.updated_at >= q.updatedBefore) return false;
  if (q.email !== undefined && !('email' in row && row.email === q.email)) return false;
  if (q.domain !== undefined && !('domain' in row && row.domain === q.domain)) return false;
  if (q.externalId !== undefined && row.external_ids[q.externalId[0]] !== q.externalId[1]) return false;
  return true;
}

/** One keyset page over live rows in id order: `next_after` is the last id when more rows may follow. */
export function listPage<T extends RecordMeta>(rows: Iterable<T>, q: ListQuery): { results: T[]; next_after: string | null } {
  const results: T[] = [];
  for (const row of rows) {
    if (row.deleted_at !== null || !matches(row, q)) continue;
    if (results.length === q.limit) return { results, next_after: results.at(-1)?.id ?? null };
    results.push(row);
  }
  return { results, next_after: null };
}
