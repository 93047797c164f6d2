import type { CrmObject } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { boundMs, decodeCursor, encodeCursor } from '../list-window';
import type { ListFilter, ListPage, ListPageRequest } from '../types';
import type { ShopHttp } from './http';
import { ListResponse } from './read';
import { COLLECTION, parseWire, toSnapshot } from './snapshot';

/** The read API's largest page. */
const MAX_LIMIT = 500;

const iso = (bound: string | undefined): string | undefined => {
  const ms = boundMs(bound);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

/**
 * One keyset page in id order: the read API pages by id itself (`after` = the last id handed out), so records the
 * backfill changes while it pages (their updated_at leaves the window) neither shift nor skip the rest.
 */
export async function listShopPage(http: ShopHttp, rules: SyncRules, object: CrmObject, request: ListPageRequest): Promise<ListPage> {
  const operation = `list ${object}`;
  const body = await http.request(operation, {
    method: 'GET',
    path: `/${COLLECTION[object]}`,
    params: {
      limit: Math.max(1, Math.min(request.limit, MAX_LIMIT)),
      after: decodeCursor(request.cursor, 'Shop'),
      id_from: request.idFrom,
      id_to: request.idTo,
      updated_after: iso(request.modifiedAfter),
      updated_before: iso(request.modifiedBefore),
      created_after: iso(request.createdAfter),
      created_before: iso(request.createdBefore),
    },
  });
  const page = parseWire(ListResponse, body, `body to ${operation}`);
  const records = page.results.map((record) => toSnapshot(rules, object, record));
  return page.next_after === null ? { records } : { records, nextCursor: encodeCursor(page.next_after) };
}

/**
 * The read API cannot count. An id range is an upper bound for free (ids are integers handed out in order); anything
 * else is unknown.
 */
export function countShopRecords(filter: ListFilter): number | null {
  const { idFrom, idTo } = filter;
  if (idFrom === undefined || idTo === undefined || !/^\d+$/.test(idFrom) || !/^\d+$/.test(idTo)) return null;
  const span = BigInt(idTo) - BigInt(idFrom) + 1n;
  return span < 0n ? 0 : Number(span);
}
