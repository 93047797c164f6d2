import type { CrmObject, RecordSnapshot, SystemName } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { WrittenByCommandError } from '../errors';
import type { CrmConnector } from '../types';
import { createShopHttp, type ShopHttpOptions } from './http';
import { countShopRecords, listShopPage } from './list';
import { createShopReader } from './read';
import { SHOP } from './snapshot';

export interface ShopConnectorOptions extends ShopHttpOptions {
  rules: SyncRules;
}

export interface ShopConnector extends CrmConnector {
  /**
   * The oldest shop record holding any of these CRM ids (`external_id=<system>:<id>`), or null: what a workflow whose
   * command got no reply looks up before sending it again.
   */
  findByExternalIds(object: CrmObject, externalIds: Record<SystemName, string>): Promise<RecordSnapshot | null>;
}

/**
 * The shop: read over its HTTP read API, written only by user.upsert / business.upsert commands on RabbitMQ
 * (shopUpsertCommand builds them; the broker side publishes them). So every write here refuses, non-retryably.
 */
export function createShopConnector(options: ShopConnectorOptions): ShopConnector {
  const { rules } = options;
  const http = createShopHttp(options);
  const reader = createShopReader(http, rules);
  const refuse = (operation: string, object: CrmObject): Promise<never> =>
    Promise.reject(new WrittenByCommandError(`The shop is written only through commands over RabbitMQ, not by ${operation} ${object}`));
  return {
    system: SHOP,
    // The shop keeps CRM ids in external_ids, which always exists: there is no schema to create.
    ensureSchema: () => Promise.resolve(),
    get: (object, id) => reader.get(object, id),
    findMatch: (object, keys) => reader.findMatch(object, keys),
    create: (object) => refuse('create', object),
    update: (object) => refuse('update', object),
    archive: (object) => refuse('archive', object),
    listPage: (object, page) => listShopPage(http, rules, object, page),
    count: (_object, filter) => Promise.resolve(countShopRecords(filter)),
    getMany: (object, ids) => reader.getMany(object, ids),
    findMatches: (object, keys) => reader.findMatches(object, keys),
    createMany: (object) => refuse('createMany', object),
    updateMany: (object) => refuse('updateMany', object),
    findByExternalIds: (object, externalIds) => reader.findByExternalIds(object, externalIds),
  };
}
