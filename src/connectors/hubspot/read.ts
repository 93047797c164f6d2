import type { SyncRules } from '../../config/sync-rules';
import { matchKeysOf } from '../../domain/mapping';
import type { CrmObject, MatchKeys, RecordSnapshot } from '../../domain/records';
import { NotFoundError } from '../errors';
import { compareIds, normaliseKeys, normaliseName } from '../match';
import type { HubspotApi } from './api';
import { FilterOperatorEnum } from './sdk-enums';
import { OBJECT_TYPE, readProperties, toSnapshot, type HubspotRecord } from './snapshot';

export interface HubspotReader {
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
}

export function createHubspotReader(api: HubspotApi, rules: SyncRules): HubspotReader {
  /** GET by id (or by a unique property such as email); null when absent or archived. */
  const getBy = async (object: CrmObject, id: string, idProperty?: string): Promise<RecordSnapshot | null> => {
    try {
      const record = await api.call(`get ${object}`, (client) =>
        client.crm.objects.basicApi.getById(
          OBJECT_TYPE[object],
          id,
          readProperties(rules, object),
          undefined,
          object === 'contact' ? ['companies'] : undefined,
          false,
          idProperty,
        ),
      );
      return record.archived ? null : toSnapshot(rules, object, record);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };

  /** Companies whose `property` equals `value`, narrowed client-side by `keep`; the oldest (lowest id) wins. */
  const searchCompany = async (property: string, value: string, keep: (s: RecordSnapshot) => boolean): Promise<RecordSnapshot | null> => {
    const page = await api.call('search company', (client) =>
      client.crm.objects.searchApi.doSearch(OBJECT_TYPE.company, {
        filterGroups: [{ filters: [{ propertyName: property, operator: FilterOperatorEnum.Eq, value }] }],
        properties: readProperties(rules, 'company'),
        limit: 100,
      }),
    );
    const found = page.results
      .map((record: HubspotRecord) => toSnapshot(rules, 'company', record))
      .filter(keep)
      .sort((a, b) => compareIds(a.ref.id, b.ref.id));
    return found[0] ?? null;
  };

  return {
    get: (object, id) => getBy(object, id),
    async findMatch(object, rawKeys) {
      const keys = normaliseKeys(rawKeys);
      if (object === 'contact') {
        // GET by email reads the record store itself; search lags writes by seconds and would miss a fresh contact.
        return keys.email ? getBy('contact', keys.email, 'email') : null;
      }
      // Company domains are not unique in HubSpot, so there is no idProperty read; search lag is accepted here
      // (a company created seconds ago on both sides is caught later by the cross-reference upsert).
      const { domain, name } = keys;
      if (domain) {
        const byDomain = await searchCompany('domain', domain, (s) => matchKeysOf('company', s.fields).domain === domain);
        if (byDomain) return byDomain;
      }
      if (name && rawKeys.name) {
        return searchCompany('name', rawKeys.name.trim(), (s) => normaliseName(matchKeysOf('company', s.fields).name ?? '') === name);
      }
      return null;
    },
  };
}
