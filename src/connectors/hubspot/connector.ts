import { REFERENCES } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { TokenProvider } from '../oauth/token-provider';
import type { CrmCallObserver, CrmConnector } from '../types';
import { createHubspotApi } from './api';
import type { RateLimitDefaults } from './api-error';
import { createReferenceLinks } from './associations';
import { createHubspotBatchReader } from './batch-read';
import { createHubspotBatchWriter } from './batch-write';
import { createHubspotHistoryReader, createHubspotReplacedReader } from './history-read';
import { countHubspotRecords, listHubspotPage } from './list';
import { createHubspotReader } from './read';
import { ensureHubspotSchema } from './schema';
import { HUBSPOT } from './snapshot';
import { createHubspotWriter } from './write';

export interface HubspotConnectorOptions {
  rules: SyncRules;
  basePath: string;
  tokens: TokenProvider;
  observer?: CrmCallObserver;
  timeoutMs?: number;
  rateLimits?: RateLimitDefaults;
  requestsPerTenSeconds?: number;
  liveShare?: number;
  searchesPerSecond?: number;
}

export function createHubspotConnector(options: HubspotConnectorOptions): CrmConnector {
  const { rules } = options;
  const api = createHubspotApi(options);
  const referenceLinks = createReferenceLinks(api);
  const reader = createHubspotReader(api, rules, referenceLinks);
  const writer = createHubspotWriter(api, rules, referenceLinks);
  const batchReader = createHubspotBatchReader(api, rules, referenceLinks);
  const batchWriter = createHubspotBatchWriter(api, rules, referenceLinks);
  return {
    system: HUBSPOT,
    ensureSchema: () => ensureHubspotSchema(api, rules),
    get: (object, id) => reader.get(object, id),
    findMatch: (object, keys) => reader.findMatch(object, keys),
    create: (object, fields, links) => writer.create(object, fields, links),
    update: (object, id, fields, links) => writer.update(object, id, fields, links),
    archive: (object, id) => writer.archive(object, id),
    listPage: (object, page) => listHubspotPage(api, rules, referenceLinks, object, page),
    count: (object, filter) => countHubspotRecords(api, object, filter),
    getMany: (object, ids, options) => batchReader.getMany(object, ids, options),
    // The batch read carries no associations: one associations read per reference follows it.
    requestsPerGetMany: (object) => 1 + REFERENCES[object].length,
    awaitRequestSlot: (call, object) => {
      if (call !== 'match' || object === 'contact') return api.awaitRequestSlot?.() ?? null;
      // a company is matched by search, budgeted apart; a deal is never matched, so it makes no request at all
      return object === 'company' ? (api.awaitSearchSlot?.() ?? null) : null;
    },
    findMatches: (object, keys) => batchReader.findMatches(object, keys),
    createMany: (object, inputs, options) => batchWriter.createMany(object, inputs, options),
    updateMany: (object, inputs) => batchWriter.updateMany(object, inputs),
    aroundWrites: createHubspotHistoryReader(api, rules),
    valuesReplaced: createHubspotReplacedReader(api, rules),
  };
}
