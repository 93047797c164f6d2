import { z } from 'zod';
import type { CrmObject, MatchKeys, RecordSnapshot, SystemName } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { chunks } from '../batch';
import { NotFoundError } from '../errors';
import { compareIds, normaliseKeys } from '../match';
import type { ShopHttp } from './http';
import { COLLECTION, parseWire, toSnapshot } from './snapshot';

export interface ShopReader {
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  getMany(object: CrmObject, ids: string[]): Promise<RecordSnapshot[]>;
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
  findMatches(object: CrmObject, keys: MatchKeys[]): Promise<(RecordSnapshot | null)[]>;
  findByExternalIds(object: CrmObject, externalIds: Record<SystemName, string>): Promise<RecordSnapshot | null>;
}

export const ListResponse = z.object({ results: z.array(z.unknown()), next_after: z.string().nullable() });
const BatchResponse = z.object({ results: z.array(z.unknown()), missing: z.array(z.string()) });

/**
 * Reads over the shop's read API, which reads its store directly: a record is found by email or domain as soon as
 * it exists (no search index to lag behind).
 */
export function createShopReader(http: ShopHttp, rules: SyncRules): ShopReader {
  /** The oldest (lowest id) record the list filter finds: the one the shop's own command matching would pick. */
  const first = async (object: CrmObject, operation: string, filter: Record<string, string>): Promise<RecordSnapshot | null> => {
    const body = await http.request(operation, { method: 'GET', path: `/${COLLECTION[object]}`, params: { ...filter, limit: 1 } });
    const [record] = parseWire(ListResponse, body, `body to ${operation}`).results;
    return record === undefined ? null : toSnapshot(rules, object, record);
  };

  // Email and domain are unique in the shop; names are not, so they never match (a name match makes duplicates).
  const matchFilter = (object: CrmObject, rawKeys: MatchKeys): Record<string, string> | null => {
    const { email, domain } = normaliseKeys(rawKeys);
    if (object === 'contact' && email) return { email };
    if (object === 'company' && domain) return { domain };
    return null;
  };

  return {
    async get(object, id) {
      try {
        return toSnapshot(rules, object, await http.request(`get ${object}`, { method: 'GET', path: `/${COLLECTION[object]}/${encodeURIComponent(id)}` }));
      } catch (error) {
        // Deleted users and businesses answer 404 too.
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },

    async getMany(object, ids) {
      const operation = `read ${object}s`;
      const out: RecordSnapshot[] = [];
      for (const slice of chunks([...new Set(ids)])) {
        const body = await http.request(operation, { method: 'POST', path: `/${COLLECTION[object]}/batch-get`, body: { ids: slice } });
        out.push(...parseWire(BatchResponse, body, `body to ${operation}`).results.map((record) => toSnapshot(rules, object, record)));
      }
      return out;
    },

    async findMatch(object, keys) {
      const filter = matchFilter(object, keys);
      return filter === null ? null : first(object, `find ${object}`, filter);
    },

    // The read API filters by one email or domain per call; keys repeated in a batch are asked once.
    async findMatches(object, keys) {
      const answers = new Map<string, RecordSnapshot | null>();
      const out: (RecordSnapshot | null)[] = [];
      for (const key of keys) {
        const filter = matchFilter(object, key);
        if (filter === null) {
          out.push(null);
          continue;
        }
        const asked = JSON.stringify(filter);
        if (!answers.has(asked)) answers.set(asked, await first(object, `find ${object}`, filter));
        out.push(answers.get(asked) ?? null);
      }
      return out;
    },

    async findByExternalIds(object, externalIds) {
      const found: RecordSnapshot[] = [];
      for (const [system, id] of Object.entries(externalIds)) {
        const record = await first(object, `find ${object} by ${system} id`, { external_id: `${system}:${id}` });
        if (record) found.push(record);
      }
      return found.sort((a, b) => compareIds(a.ref.id, b.ref.id))[0] ?? null;
    },
  };
}
