import type { SyncRules } from '../../domain/schema/sync-rules';
import type { TokenProvider } from '../oauth/token-provider';
import type { CrmCallObserver, CrmConnector } from '../types';
import { createZohoHttp } from './http';
import { createZohoBatchReader } from './batch-read';
import { createZohoBatchWriter } from './batch-write';
import { countZohoRecords, listZohoPage } from './list';
import { createZohoReader } from './read';
import { createZohoReplacedReader } from './replaced';
import { ensureZohoSchema } from './schema';
import { ZOHO } from './snapshot';
import { createZohoWatchClient, type ZohoWatchClient } from './watch';
import { createZohoWriter } from './write';

export interface ZohoConnectorOptions {
  rules: SyncRules;
  /** The API domain (token response api_domain), e.g. https://www.zohoapis.com. */
  apiBaseUrl: string;
  tokens: TokenProvider;
  observer?: CrmCallObserver;
  timeoutMs?: number;
  /** Wait suggested after a 429 without Retry-After. Default 5 s. */
  rateLimitDefaultMs?: number;
}

export type ZohoConnector = CrmConnector & ZohoWatchClient;

export function createZohoConnector(options: ZohoConnectorOptions): ZohoConnector {
  const { rules } = options;
  const http = createZohoHttp(options);
  const reader = createZohoReader(http, rules);
  const writer = createZohoWriter(http, rules, async (object, id) => (await reader.get(object, id))?.version ?? null);
  const watch = createZohoWatchClient(http);
  const batchReader = createZohoBatchReader(http, rules);
  const batchWriter = createZohoBatchWriter(http, rules, async (object, ids) => {
    const records = await batchReader.getMany(object, ids);
    return new Map(records.map((record) => [record.ref.id, record.version]));
  });
  return {
    system: ZOHO,
    ensureSchema: () => ensureZohoSchema(http, rules),
    get: (object, id) => reader.get(object, id),
    findMatch: (object, keys) => reader.findMatch(object, keys),
    create: (object, fields, links) => writer.create(object, fields, links),
    update: (object, id, fields, links, unmodifiedSince) => writer.update(object, id, fields, links, unmodifiedSince),
    archive: (object, id) => writer.archive(object, id),
    listPage: (object, page) => listZohoPage(http, rules, object, page),
    count: (object) => countZohoRecords(http, object),
    getMany: (object, ids) => batchReader.getMany(object, ids),
    findMatches: (object, keys) => batchReader.findMatches(object, keys),
    createMany: (object, inputs) => batchWriter.createMany(object, inputs),
    updateMany: (object, inputs) => batchWriter.updateMany(object, inputs),
    valuesReplaced: createZohoReplacedReader(http),
    enableWatch: (input) => watch.enableWatch(input),
    disableWatch: (channelId) => watch.disableWatch(channelId),
  };
}
