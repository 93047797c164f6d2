import { NotFoundError } from '../../connectors/errors';
import { shopUpsertCommand } from '../../connectors/shop/commands';
import type { ShopConnector } from '../../connectors/shop/connector';
import { SHOP } from '../../connectors/shop/snapshot';
import type { CommandWrites } from '../../connectors/types';
import { crossReferenceField } from '../../domain/mapping';
import type { CrmObject, SystemName } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { ShopCommandPublisher } from './broker';

/** Our CloudEvents source on every command (the contract's `source`). */
export const COMMAND_SOURCE = 'urn:crm-sync';

/**
 * The shop's writes: user.upsert / business.upsert commands published with a confirm. An upsert sets the attributes
 * it carries and keeps the others, so an update carries only what the pass writes (and the email or name the contract
 * requires, as the shop holds it now): a person's edit the shop applies between our read and our command stays.
 */
export function shopCommandWrites(connector: ShopConnector, rules: SyncRules, publisher: () => ShopCommandPublisher): CommandWrites {
  const externalIds = (object: CrmObject, crossRefs: Record<SystemName, string | null | undefined>): Record<string, string> => {
    const ids: Record<string, string> = {};
    for (const [system, id] of Object.entries(crossRefs)) {
      const field = crossReferenceField(rules, SHOP, system, object);
      if (field !== undefined && id) ids[field] = id;
    }
    return ids;
  };
  return {
    async send(object, id, fields, links, correlationId, lane) {
      const current = id === null ? null : await connector.get(object, id);
      // deleted in the shop since the pass read it: the pass is redone from a fresh read
      if (id !== null && !current) throw new NotFoundError(`shop ${object} ${id} no longer exists`, 404);
      const command = shopUpsertCommand(rules, {
        object,
        shopId: id,
        fields,
        ...(current ? { held: current.fields } : {}),
        ...(links.companyId === undefined ? {} : { companyId: links.companyId }),
        externalIds: externalIds(object, { ...current?.crossRefs, ...links.crossRefs }),
        correlationId,
        source: COMMAND_SOURCE,
      });
      await publisher().publish(command, lane);
    },
    findSent: (object, crossRefs) => connector.findByExternalIds(object, externalIds(object, crossRefs)),
  };
}
