import { z } from 'zod';
import type { SyncRules } from '../../config/sync-rules';
import type { CrmObject } from '../../domain/records';
import { PermanentCrmError } from '../errors';
import type { ListPage, ListPageRequest } from '../types';
import type { HubspotApi } from './api';
import type { CompanyLink } from './associations';
import { FilterOperatorEnum } from './sdk-enums';
import { MODIFIED_PROPERTY, OBJECT_TYPE, readProperties, toSnapshot } from './snapshot';

/** Search answers at most 200 per page and refuses to page past 10,000 results per query. */
const MAX_LIMIT = 200;
const RESULT_CAP = 10_000;

/** `a`: search offset; `s`: lower bound (epoch ms, inclusive) of the query the offset belongs to. */
const Cursor = z.object({ a: z.string().optional(), s: z.number().optional() });
type Cursor = z.infer<typeof Cursor>;

const encode = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decode(raw: string | undefined): Cursor {
  if (raw === undefined) return {};
  try {
    return Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new PermanentCrmError('HubSpot list cursor is not one this connector issued');
  }
}

/** Window bounds arrive as ISO timestamps or epoch-ms strings. */
function boundMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new PermanentCrmError(`invalid list window bound: ${value}`);
  return ms;
}

/**
 * Backfill paging through search, sorted by the modification stamp ascending, with the window as GTE/LT filters.
 * Search (not list) because only it filters and sorts by modification time. Before the 10,000-result cap the
 * query restarts from the last stamp seen (GTE, so records sharing it are read twice rather than skipped).
 * Search lags writes by seconds: records modified during the backfill are caught by webhooks instead.
 */
export async function listHubspotPage(
  api: HubspotApi,
  rules: SyncRules,
  companyLink: CompanyLink,
  object: CrmObject,
  request: ListPageRequest,
): Promise<ListPage> {
  const cursor = decode(request.cursor);
  const since = cursor.s ?? boundMs(request.modifiedAfter);
  const before = boundMs(request.modifiedBefore);
  const property = MODIFIED_PROPERTY[object];
  const limit = Math.max(1, Math.min(request.limit, MAX_LIMIT));
  const filters = [
    ...(since !== undefined ? [{ propertyName: property, operator: FilterOperatorEnum.Gte, value: String(since) }] : []),
    ...(before !== undefined ? [{ propertyName: property, operator: FilterOperatorEnum.Lt, value: String(before) }] : []),
  ];
  const page = await api.call(`list ${object}`, (client, options) =>
    client.crm.objects.searchApi.doSearch(
      OBJECT_TYPE[object],
      {
        filterGroups: filters.length > 0 ? [{ filters }] : [],
        // A bare property name sorts ascending ("-name" descending); the SDK types sorts as strings.
        sorts: [property],
        properties: readProperties(rules, object),
        limit,
        ...(cursor.a !== undefined ? { after: cursor.a } : {}),
      },
      options,
    ),
  );
  // Search results carry no associations: read the contacts' companies in one batch call.
  const companies = object === 'contact' ? await companyLink.readMany(page.results.map((r) => r.id)) : undefined;
  const records = page.results.map((record) => toSnapshot(rules, object, record, companies ? (companies.get(record.id) ?? null) : undefined));
  const next = page.paging?.next?.after;
  if (next === undefined) return { records };
  const last = records[records.length - 1];
  if (Number(next) + limit > RESULT_CAP && last !== undefined && (since === undefined || last.modifiedAt > since)) {
    return { records, nextCursor: encode({ s: last.modifiedAt }) };
  }
  return { records, nextCursor: encode({ a: next, ...(since !== undefined ? { s: since } : {}) }) };
}
