import type { SyncRules } from '../../domain/schema/sync-rules';
import type { CrmObject } from '../../domain/records';
import { boundMs, decodeCursor, encodeCursor } from '../list-window';
import type { ListFilter, ListPage, ListPageRequest } from '../types';
import type { HubspotApi } from './api';
import type { ReferenceLinks } from './associations';
import { FilterOperatorEnum } from './sdk-enums';
import { MODIFIED_PROPERTY, OBJECT_TYPE, readProperties, toSnapshot } from './snapshot';

/** Search answers at most 200 per page. */
const MAX_LIMIT = 200;
const ID_PROPERTY = 'hs_object_id';
/** Every object's creation stamp, contacts', companies' and deals' alike. */
const CREATED_PROPERTY = 'createdate';

function filtersOf(object: CrmObject, filter: ListFilter, afterId: string | undefined) {
  const stamp = MODIFIED_PROPERTY[object];
  const since = boundMs(filter.modifiedAfter);
  const before = boundMs(filter.modifiedBefore);
  const filters: { propertyName: string; operator: FilterOperatorEnum; value: string }[] = [];
  if (since !== undefined) filters.push({ propertyName: stamp, operator: FilterOperatorEnum.Gte, value: String(since) });
  if (before !== undefined) filters.push({ propertyName: stamp, operator: FilterOperatorEnum.Lt, value: String(before) });
  const createdSince = boundMs(filter.createdAfter);
  const createdBefore = boundMs(filter.createdBefore);
  if (createdSince !== undefined) filters.push({ propertyName: CREATED_PROPERTY, operator: FilterOperatorEnum.Gte, value: String(createdSince) });
  if (createdBefore !== undefined) filters.push({ propertyName: CREATED_PROPERTY, operator: FilterOperatorEnum.Lt, value: String(createdBefore) });
  if (filter.idFrom !== undefined) filters.push({ propertyName: ID_PROPERTY, operator: FilterOperatorEnum.Gte, value: filter.idFrom });
  if (filter.idTo !== undefined) filters.push({ propertyName: ID_PROPERTY, operator: FilterOperatorEnum.Lte, value: filter.idTo });
  if (afterId !== undefined) filters.push({ propertyName: ID_PROPERTY, operator: FilterOperatorEnum.Gt, value: afterId });
  return filters;
}

/**
 * Backfill paging through search: the window as GTE/LT filters on the modification stamp, sorted by record id,
 * each page asking for ids above the last one seen. A keyset rather than search's `after` offset, because the
 * backfill writes into the records it pages through: with an offset, records leaving the window (their stamp moves
 * on) would shift the rest and pages would be skipped. Each query also starts at offset 0, so search's
 * 10,000-result cap never applies. Search lags writes by seconds: a record changed during the backfill may be listed
 * with its old values, and its webhook brings the new ones.
 */
export async function listHubspotPage(
  api: HubspotApi,
  rules: SyncRules,
  referenceLinks: ReferenceLinks,
  object: CrmObject,
  request: ListPageRequest,
): Promise<ListPage> {
  const filters = filtersOf(object, request, decodeCursor(request.cursor, 'HubSpot'));
  const limit = Math.max(1, Math.min(request.limit, MAX_LIMIT));
  const page = await api.search(`list ${object}`, (client, options) =>
    client.crm.objects.searchApi.doSearch(
      OBJECT_TYPE[object],
      {
        filterGroups: filters.length > 0 ? [{ filters }] : [],
        // A bare property name sorts ascending; the SDK types sorts as strings.
        sorts: [ID_PROPERTY],
        properties: readProperties(rules, object),
        limit,
      },
      options,
    ),
  );
  // Search results carry no associations: read what the records' references follow in one batch call per reference.
  const references = await referenceLinks.readMany(object, page.results.map((r) => r.id));
  const records = page.results.map((record) => toSnapshot(rules, object, record, references.get(record.id)));
  const last = records[records.length - 1];
  const more = page.paging?.next?.after !== undefined || page.total > records.length;
  return more && last !== undefined ? { records, nextCursor: encodeCursor(last.ref.id) } : { records };
}

/** Search's `total` for the window: exact at the time of the call. */
export async function countHubspotRecords(api: HubspotApi, object: CrmObject, filter: ListFilter): Promise<number> {
  const filters = filtersOf(object, filter, undefined);
  const page = await api.search(`count ${object}`, (client, options) =>
    client.crm.objects.searchApi.doSearch(
      OBJECT_TYPE[object],
      { filterGroups: filters.length > 0 ? [{ filters }] : [], properties: [ID_PROPERTY], limit: 1 },
      options,
    ),
  );
  return page.total;
}
