import type { SyncRules } from '../../config/sync-rules';
import type { CrmObject } from '../../domain/records';
import { PermanentCrmError, TransientCrmError } from '../errors';
import type { ListPage, ListPageRequest } from '../types';
import type { ZohoHttp } from './http';
import { ZohoRecordsResponse } from './schemas';
import { MODULE, listFields, toSnapshot } from './snapshot';

const MAX_PER_PAGE = 200;

function boundMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new PermanentCrmError(`invalid list window bound: ${value}`);
  return ms;
}

/** Zoho stamps whole seconds, so window bounds are compared at that precision. */
const floorSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;

/** ISO-8601 without milliseconds, as Zoho writes date-times. */
const zohoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/**
 * Backfill paging through GET /{module} sorted by Modified_Time ascending. The window's lower bound (inclusive, at
 * Zoho's one-second precision) goes in If-Modified-Since (304 when nothing matches); the upper bound (exclusive) is
 * applied here: the first record at or past it ends the listing. The cursor is Zoho's page_token, which (unlike `page`) reaches past 2,000 records;
 * Zoho binds it to the other parameters, so every page must be requested with the same window. COQL would filter
 * both bounds server-side but costs more credits and caps at 100,000 rows per query as well.
 */
export async function listZohoPage(http: ZohoHttp, rules: SyncRules, object: CrmObject, request: ListPageRequest): Promise<ListPage> {
  const after = boundMs(request.modifiedAfter);
  const from = after === undefined ? undefined : floorSecond(after);
  const beforeMs = boundMs(request.modifiedBefore);
  // Both bounds floored: adjacent windows [a, b) and [b, c) then split the stamps without overlap or gap.
  const before = beforeMs === undefined ? undefined : floorSecond(beforeMs);
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
    // If-Modified-Since means strictly after: ask from one second earlier and drop the extra second below.
    ...(from !== undefined ? { headers: { 'If-Modified-Since': zohoTime(from - 1000) } } : {}),
  });
  if (status === 204 || status === 304 || body === null) return { records: [] };
  const parsed = ZohoRecordsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  const all = parsed.data.data.map((record) => toSnapshot(rules, object, record));
  const inWindow = from === undefined ? all : all.filter((r) => r.modifiedAt >= from);
  const records = before === undefined ? inWindow : inWindow.filter((r) => r.modifiedAt < before);
  const next = parsed.data.info?.more_records ? parsed.data.info.next_page_token : undefined;
  const reachedEnd = records.length < inWindow.length;
  return reachedEnd || !next ? { records } : { records, nextCursor: next };
}
