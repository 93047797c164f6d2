import type { SyncRules } from '../../domain/schema/sync-rules';
import { matchKeysOf } from '../../domain/mapping';
import { REFERENCES, type CrmObject, type MatchKeys, type RecordSnapshot } from '../../domain/records';
import { NotFoundError } from '../errors';
import { compareIds, normaliseKeys, normaliseName } from '../match';
import type { HubspotApi } from './api';
import type { ReferenceLinks } from './associations';
import { FilterOperatorEnum } from './sdk-enums';
import { OBJECT_TYPE, readProperties, toSnapshot, type HubspotRecord } from './snapshot';

export interface HubspotReader {
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
}

export function createHubspotReader(api: HubspotApi, rules: SyncRules, referenceLinks: ReferenceLinks): HubspotReader {
  /** GET by id, with the associations its references follow; null when absent or archived. */
  const getBy = async (object: CrmObject, id: string): Promise<RecordSnapshot | null> => {
    const associations = REFERENCES[object].map((reference) => OBJECT_TYPE[reference.object]);
    try {
      const record = await api.call(`get ${object}`, (client, options) =>
        client.crm.objects.basicApi.getById(
          OBJECT_TYPE[object],
          id,
          readProperties(rules, object),
          undefined,
          associations.length > 0 ? associations : undefined,
          false,
          undefined,
          options,
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
    const page = await api.search('search company', (client, options) =>
      client.crm.objects.searchApi.doSearch(
        OBJECT_TYPE.company,
        {
          filterGroups: [{ filters: [{ propertyName: property, operator: FilterOperatorEnum.Eq, value }] }],
          properties: readProperties(rules, 'company'),
          limit: 100,
        },
        options,
      ),
    );
    const found = page.results
      .map((record: HubspotRecord) => toSnapshot(rules, 'company', record))
      .filter(keep)
      .sort((a, b) => compareIds(a.ref.id, b.ref.id));
    return found[0] ?? null;
  };

  /**
   * Reads by email as a unique id, from the record store: search lags writes by seconds and would miss a contact
   * created moments ago. Batch read (POST) rather than GET /contacts/{email}?idProperty=email, because the SDK
   * percent-encodes the "@" in the path, which HubSpot has been answering with OBJECT_NOT_FOUND
   * (HubSpot/hubspot-api-nodejs#669). Batch read carries no associations, hence the second call.
   */
  const contactByEmail = async (email: string): Promise<RecordSnapshot | null> => {
    const batch = await api.call('find contact', (client, options) =>
      client.crm.objects.batchApi.read(
        OBJECT_TYPE.contact,
        { inputs: [{ id: email }], idProperty: 'email', properties: readProperties(rules, 'contact'), propertiesWithHistory: [] },
        false,
        options,
      ),
    );
    const record = batch.results.find((r) => !r.archived);
    if (!record) return null;
    const references = await referenceLinks.readMany('contact', [record.id]);
    return toSnapshot(rules, 'contact', record, references.get(record.id));
  };

  return {
    get: (object, id) => getBy(object, id),
    async findMatch(object, rawKeys) {
      // A deal has no natural key: the one that exists is found by its cross-reference when it is upserted.
      if (object === 'deal') return null;
      const keys = normaliseKeys(rawKeys);
      if (object === 'contact') {
        return keys.email ? contactByEmail(keys.email) : null;
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
