import type { SyncRules } from '../../config/sync-rules';
import type { CrmObject } from '../../domain/records';
import { PermanentCrmError, TransientCrmError } from '../errors';
import type { ListPage, ListPageRequest } from '../types';
import type { ZohoHttp } from './http';
import { ZohoRecordsResponse } from './schemas';
import { MODULE, listFields, toSnapshot } from './snapshot';

const MAX_PER_PAGE = 200;

function isoBound(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new PermanentCrmError(`invalid list window bound: ${value}`);
  return new Date(ms).toISOString();
}

/**
 * Backfill paging through GET /{module} sorted by Modified_Time ascending. The window's lower bound goes in
 * If-Modified-Since (strictly after; 304 when nothing matches), the upper bound is applied here: the first record at
 * or past it ends the listing. The cursor is Zoho's page_token, which (unlike `page`) reaches past 2,000 records;
 * Zoho binds it to the other parameters, so every page must be requested with the same window. COQL would filter
 * both bounds server-side but costs more credits and caps at 100,000 rows per query as well.
 */
export async function listZohoPage(http: ZohoHttp, rules: SyncRules, object: CrmObject, request: ListPageRequest): Promise<ListPage> {
  const after = isoBound(request.modifiedAfter);
  const beforeMs = request.modifiedBefore === undefined ? undefined : Date.parse(isoBound(request.modifiedBefore) ?? '');
  const operation = `list ${object}`;
  const { status, body } = await http.request(operation, {
    method: 'GET',
    path: `/crm/v8/${MODULE[object]}`,
    params: {
      fields: listFields(rules, object).join(','),
      sort_by: 'Modified_Time',
      sort_order: 'asc',
      per_page: Math.max(1, Math.min(request.limit, MAX_PER_PAGE)),
      ...(request.cursor !== undefined ? { page_token: request.cursor } : {}),
    },
    ...(after !== undefined ? { headers: { 'If-Modified-Since': after } } : {}),
  });
  if (status === 204 || status === 304 || body === null) return { records: [] };
  const parsed = ZohoRecordsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  const all = parsed.data.data.map((record) => toSnapshot(rules, object, record));
  const records = beforeMs === undefined ? all : all.filter((r) => r.modifiedAt < beforeMs);
  const next = parsed.data.info?.more_records ? parsed.data.info.next_page_token : undefined;
  const reachedEnd = records.length < all.length;
  return reachedEnd || !next ? { records } : { records, nextCursor: next };
}
