import { z } from 'zod';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { CrmObject } from '../../domain/records';
import { TransientCrmError } from '../errors';
import { boundMs, decodeCursor, encodeCursor } from '../list-window';
import type { ListFilter, ListPage, ListPageRequest } from '../types';
import { coqlId, runCoql, zohoTime, COQL_PAGE } from './coql';
import type { ZohoHttp } from './http';
import { moduleOf, listFields, toSnapshot } from './snapshot';

/** Zoho stamps whole seconds, so window bounds are compared at that precision. */
const floorSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

function conditions(filter: ListFilter, afterId: string | undefined): string {
  const after = boundMs(filter.modifiedAfter);
  const before = boundMs(filter.modifiedBefore);
  const where: string[] = [];
  // Both bounds floored: adjacent windows [a, b) and [b, c) then split the stamps without overlap or gap.
  if (after !== undefined) where.push(`Modified_Time >= '${zohoTime(floorSecond(after))}'`);
  if (before !== undefined) where.push(`Modified_Time < '${zohoTime(floorSecond(before))}'`);
  const createdAfter = boundMs(filter.createdAfter);
  const createdBefore = boundMs(filter.createdBefore);
  if (createdAfter !== undefined) where.push(`Created_Time >= '${zohoTime(floorSecond(createdAfter))}'`);
  if (createdBefore !== undefined) where.push(`Created_Time < '${zohoTime(floorSecond(createdBefore))}'`);
  if (filter.idFrom !== undefined) where.push(`id >= ${coqlId(filter.idFrom)}`);
  if (filter.idTo !== undefined) where.push(`id <= ${coqlId(filter.idTo)}`);
  if (afterId !== undefined) where.push(`id > ${coqlId(afterId)}`);
  // COQL has required a WHERE clause in some versions.
  return where.length > 0 ? where.join(' and ') : 'id is not null';
}

/**
 * Backfill paging through COQL: the window and the id range filtered server-side, ordered by id, each page asking for
 * ids above the last one seen (a keyset). Not GET /{module} with page_token: whether Zoho's token is an offset is
 * UNCONFIRMED, and the backfill writes into the records it pages through (their Modified_Time moves past the window),
 * which an offset would turn into skipped pages. COQL also reads the store directly (no search-index lag) and costs
 * one credit per call up to LIMIT 200.
 */
export async function listZohoPage(http: ZohoHttp, rules: SyncRules, object: CrmObject, request: ListPageRequest): Promise<ListPage> {
  const limit = Math.max(1, Math.min(request.limit, COQL_PAGE));
  const query = `select ${listFields(rules, object).join(', ')} from ${moduleOf(object)} where ${conditions(request, decodeCursor(request.cursor, 'Zoho'))} order by id asc limit ${limit}`;
  const page = await runCoql(http, `list ${object}`, query);
  const records = page.records.map((record) => toSnapshot(rules, object, record));
  const last = records[records.length - 1];
  return page.more && last !== undefined ? { records, nextCursor: encodeCursor(last.ref.id) } : { records };
}

const CountResponse = z.object({ count: z.number().int().min(0) });

/** The module's record count: exact without filters, an upper bound with them (the count API takes no window). */
export async function countZohoRecords(http: ZohoHttp, object: CrmObject): Promise<number> {
  const operation = `count ${object}`;
  const { status, body } = await http.request(operation, { method: 'GET', path: `/crm/v8/${moduleOf(object)}/actions/count` });
  const parsed = CountResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  return parsed.data.count;
}
