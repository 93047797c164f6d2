import type { SyncRules } from '../../domain/schema/sync-rules';
import { matchKeysOf } from '../../domain/mapping';
import type { CrmObject, MatchKeys, RecordSnapshot } from '../../domain/records';
import { chunks } from '../batch';
import { NotFoundError, TransientCrmError } from '../errors';
import { compareIds, normaliseKeys, normaliseName } from '../match';
import type { ZohoHttp } from './http';
import { ZohoRecordsResponse, type ZohoRecord } from './schemas';
import { moduleOf, toSnapshot } from './snapshot';

const API = '/crm/v8';

export interface ZohoReader {
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
}

/** Records of a 200 answer; 204 (no match / no record) is an empty list. */
export function recordsOf(operation: string, status: number, body: unknown): ZohoRecord[] {
  if (status === 204 || status === 304 || body === null) return [];
  const parsed = ZohoRecordsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
  return parsed.data.data;
}

/** Records by id, with the `fields` named, through GET /{module}?ids= (100 per call); records not there are left out. */
export async function recordsByIds(http: ZohoHttp, operation: string, object: CrmObject, ids: readonly string[], fields: readonly string[]): Promise<ZohoRecord[]> {
  const out: ZohoRecord[] = [];
  for (const slice of chunks([...new Set(ids)])) {
    const { status, body } = await http.request(operation, {
      method: 'GET',
      path: `${API}/${moduleOf(object)}`,
      params: { ids: slice.join(','), fields: fields.join(','), per_page: slice.length },
    });
    out.push(...recordsOf(operation, status, body));
  }
  return out;
}

/** Criteria values escape ( ) , and \ with a backslash (then the whole parameter is URL-encoded by axios). */
export function criteriaValue(value: string): string {
  return value.replace(/[\\(),]/g, (c) => `\\${c}`);
}

export function createZohoReader(http: ZohoHttp, rules: SyncRules): ZohoReader {
  const search = async (object: CrmObject, params: Record<string, string>): Promise<RecordSnapshot[]> => {
    const operation = `search ${object}`;
    const { status, body } = await http.request(operation, { method: 'GET', path: `${API}/${moduleOf(object)}/search`, params });
    return recordsOf(operation, status, body).map((record) => toSnapshot(rules, object, record));
  };

  /** Zoho's `equals` behaves like "contains" and email= matches partially: keep exact matches only, oldest first. */
  const best = (found: RecordSnapshot[], keep: (s: RecordSnapshot) => boolean): RecordSnapshot | null =>
    found.filter(keep).sort((a, b) => compareIds(a.ref.id, b.ref.id))[0] ?? null;

  return {
    async get(object, id) {
      const operation = `get ${object}`;
      try {
        // No `fields`: a single-record GET returns every field.
        const { status, body } = await http.request(operation, { method: 'GET', path: `${API}/${moduleOf(object)}/${encodeURIComponent(id)}` });
        const record = recordsOf(operation, status, body)[0];
        return record ? toSnapshot(rules, object, record) : null;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },

    // Search has an indexing delay (a record written seconds ago may not be found); the cross-reference upsert in
    // create() is what keeps a missed match from becoming a duplicate.
    async findMatch(object, rawKeys) {
      const keys = normaliseKeys(rawKeys);
      if (object === 'contact') {
        const email = keys.email;
        if (!email) return null;
        return best(await search('contact', { email }), (s) => matchKeysOf('contact', s.fields).email === email);
      }
      const { domain, name } = keys;
      if (domain) {
        const found = await search('company', { criteria: `(Website:equals:${criteriaValue(domain)})` });
        const match = best(found, (s) => matchKeysOf('company', s.fields).domain === domain);
        if (match) return match;
      }
      if (name && rawKeys.name) {
        const found = await search('company', { criteria: `(Account_Name:equals:${criteriaValue(rawKeys.name.trim())})` });
        return best(found, (s) => normaliseName(matchKeysOf('company', s.fields).name ?? '') === name);
      }
      return null;
    },
  };
}

