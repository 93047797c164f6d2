import type { SyncRules } from '../../domain/schema/sync-rules';
import { matchKeysOf } from '../../domain/mapping';
import type { CrmObject, MatchKeys, RecordSnapshot } from '../../domain/records';
import { chunks } from '../batch';
import { compareIds, normaliseKeys, normaliseName } from '../match';
import type { HubspotApi } from './api';
import type { GetManyOptions } from '../types';
import type { ReferenceLinks } from './associations';
import { FilterOperatorEnum } from './sdk-enums';
import { OBJECT_TYPE, readProperties, toSnapshot, type HubspotRecord } from './snapshot';

/** Values per IN filter (HubSpot's cap is UNCONFIRMED; 100 is what third parties use). */
const IN_VALUES = 100;

export interface HubspotBatchReader {
  getMany(object: CrmObject, ids: string[], options?: GetManyOptions): Promise<RecordSnapshot[]>;
  findMatches(object: CrmObject, keys: MatchKeys[]): Promise<(RecordSnapshot | null)[]>;
}

export function createHubspotBatchReader(api: HubspotApi, rules: SyncRules, referenceLinks: ReferenceLinks): HubspotBatchReader {
  /** Batch read by `idProperty` (record id when undefined); unknown ids come back as 207 errors and are left out. */
  const readBy = async (object: CrmObject, ids: string[], idProperty?: string, options: GetManyOptions = {}): Promise<RecordSnapshot[]> => {
    const out: RecordSnapshot[] = [];
    for (const slice of chunks([...new Set(ids)])) {
      // Batch reads carry no associations: what the references follow comes from association batch reads. Read by
      // record id, those go beside the batch read rather than after it: under the paced budget a second request in
      // turn would double the wait of every read.
      const [batch, beside] = await Promise.all([
        api.call(`read ${object}s`, (client, callOptions) =>
          client.crm.objects.batchApi.read(
            OBJECT_TYPE[object],
            { inputs: slice.map((id) => ({ id })), properties: readProperties(rules, object), propertiesWithHistory: [], ...(idProperty ? { idProperty } : {}) },
            false,
            callOptions,
          ),
        ),
        idProperty || options.fieldsOnly ? null : referenceLinks.readMany(object, slice),
      ]);
      const records = batch.results.filter((record) => !record.archived);
      // records answered under an id not asked (read by a property; a merged-away id answered by its survivor) follow
      const after = options.fieldsOnly ? [] : records.map((record) => record.id).filter((id) => !beside?.has(id));
      const references = after.length > 0 ? new Map([...(beside ?? []), ...(await referenceLinks.readMany(object, after))]) : beside;
      for (const record of records) out.push(toSnapshot(rules, object, record, references?.get(record.id)));
    }
    return out;
  };

  /** Companies whose `property` is one of `values` (lower-cased, as IN requires for strings). */
  const searchCompanies = async (property: string, values: string[]): Promise<RecordSnapshot[]> => {
    const out: RecordSnapshot[] = [];
    for (const slice of chunks([...new Set(values.map((v) => v.toLowerCase()))], IN_VALUES)) {
      for (let after: string | undefined = undefined; ; ) {
        const page = await api.search('search companies', (client, options) =>
          client.crm.objects.searchApi.doSearch(
            OBJECT_TYPE.company,
            {
              filterGroups: [{ filters: [{ propertyName: property, operator: FilterOperatorEnum.In, values: slice }] }],
              properties: readProperties(rules, 'company'),
              limit: 200,
              ...(after !== undefined ? { after } : {}),
            },
            options,
          ),
        );
        out.push(...page.results.map((record: HubspotRecord) => toSnapshot(rules, 'company', record)));
        after = page.paging?.next?.after;
        if (after === undefined) break;
      }
    }
    return out;
  };

  /** The oldest (lowest id) candidate that passes `keep`, as findMatch picks it. */
  const oldest = (candidates: RecordSnapshot[], keep: (s: RecordSnapshot) => boolean): RecordSnapshot | null =>
    candidates.filter(keep).sort((a, b) => compareIds(a.ref.id, b.ref.id))[0] ?? null;

  return {
    getMany: (object, ids, options) => readBy(object, ids, undefined, options),

    async findMatches(object, rawKeys) {
      // as findMatch: deals are never matched by keys
      if (object === 'deal') return rawKeys.map(() => null);
      const keys = rawKeys.map(normaliseKeys);
      if (object === 'contact') {
        // Email is a unique id: a batch read by it sees records created moments ago (search would not).
        const emails = keys.flatMap((k) => (k.email ? [k.email] : []));
        const found = emails.length > 0 ? await readBy('contact', emails, 'email') : [];
        return keys.map((k) => (k.email ? oldest(found, (s) => matchKeysOf('contact', s.fields).email === k.email) : null));
      }
      // Company domains are not unique in HubSpot: search (which lags writes by seconds), as findMatch does.
      const domains = keys.flatMap((k) => (k.domain ? [k.domain] : []));
      const byDomain = domains.length > 0 ? await searchCompanies('domain', domains) : [];
      const answers = keys.map((k) => (k.domain ? oldest(byDomain, (s) => matchKeysOf('company', s.fields).domain === k.domain) : null));
      const byNameNeeded = keys.flatMap((k, i) => (answers[i] === null && k.name ? [rawKeys[i]?.name?.trim() ?? ''] : [])).filter(Boolean);
      if (byNameNeeded.length === 0) return answers;
      const byName = await searchCompanies('name', byNameNeeded);
      return keys.map((k, i) => answers[i] ?? (k.name ? oldest(byName, (s) => normaliseName(matchKeysOf('company', s.fields).name ?? '') === k.name) : null));
    },
  };
}
