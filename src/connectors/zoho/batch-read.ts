import type { SyncRules } from '../../domain/schema/sync-rules';
import { matchKeysOf } from '../../domain/mapping';
import type { CrmObject, MatchKeys, RecordSnapshot } from '../../domain/records';
import { chunks } from '../batch';
import { compareIds, normaliseKeys, normaliseName } from '../match';
import { allCoqlRows, coqlText, COQL_IN_VALUES, COQL_MAX_CONDITIONS } from './coql';
import type { ZohoHttp } from './http';
import { recordsByIds } from './read';
import { moduleOf, listFields, toSnapshot } from './snapshot';

export interface ZohoBatchReader {
  getMany(object: CrmObject, ids: string[]): Promise<RecordSnapshot[]>;
  findMatches(object: CrmObject, keys: MatchKeys[]): Promise<(RecordSnapshot | null)[]>;
}

/**
 * Batch reads: records by id through GET /{module}?ids= (100 per call), matches through COQL, which reads the
 * store directly: search's indexing delay would miss a record written moments ago.
 */
export function createZohoBatchReader(http: ZohoHttp, rules: SyncRules): ZohoBatchReader {
  const columns = (object: CrmObject) => listFields(rules, object).join(', ');

  const query = async (object: CrmObject, where: string): Promise<RecordSnapshot[]> => {
    const rows = await allCoqlRows(http, `match ${object}s`, `select ${columns(object)} from ${moduleOf(object)} where ${where}`);
    return rows.map((row) => toSnapshot(rules, object, row));
  };

  /** The oldest (lowest id) candidate that passes `keep`, as findMatch picks it. */
  const oldest = (candidates: RecordSnapshot[], keep: (s: RecordSnapshot) => boolean): RecordSnapshot | null =>
    candidates.filter(keep).sort((a, b) => compareIds(a.ref.id, b.ref.id))[0] ?? null;

  const inList = async (object: CrmObject, field: string, values: string[]): Promise<RecordSnapshot[]> => {
    const out: RecordSnapshot[] = [];
    for (const slice of chunks([...new Set(values)], COQL_IN_VALUES)) out.push(...(await query(object, `${field} in (${slice.map(coqlText).join(', ')})`)));
    return out;
  };

  /** Website holds a URL ("https://www.acme.example/"): candidates by substring, kept only on an exact domain. */
  const byWebsite = async (domains: string[]): Promise<RecordSnapshot[]> => {
    const out: RecordSnapshot[] = [];
    for (const slice of chunks([...new Set(domains)], COQL_MAX_CONDITIONS - 1)) {
      out.push(...(await query('company', slice.map((domain) => `Website like ${coqlText(`%${domain}%`)}`).join(' or '))));
    }
    return out;
  };

  return {
    async getMany(object, ids) {
      const records = await recordsByIds(http, `read ${object}s`, object, ids, listFields(rules, object));
      return records.map((record) => toSnapshot(rules, object, record));
    },

    async findMatches(object, rawKeys) {
      const keys = rawKeys.map(normaliseKeys);
      if (object === 'contact') {
        const emails = keys.flatMap((k) => (k.email ? [k.email] : []));
        const found = emails.length > 0 ? await inList('contact', 'Email', emails) : [];
        return keys.map((k) => (k.email ? oldest(found, (s) => matchKeysOf('contact', s.fields).email === k.email) : null));
      }
      const domains = keys.flatMap((k) => (k.domain ? [k.domain] : []));
      const withDomain = domains.length > 0 ? await byWebsite(domains) : [];
      const answers = keys.map((k) => (k.domain ? oldest(withDomain, (s) => matchKeysOf('company', s.fields).domain === k.domain) : null));
      const names = keys.flatMap((k, i) => (answers[i] === null && k.name ? [rawKeys[i]?.name?.trim() ?? ''] : [])).filter(Boolean);
      if (names.length === 0) return answers;
      const withName = await inList('company', 'Account_Name', names);
      return keys.map((k, i) => answers[i] ?? (k.name ? oldest(withName, (s) => normaliseName(matchKeysOf('company', s.fields).name ?? '') === k.name) : null));
    },
  };
}
