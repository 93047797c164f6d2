import type { CrmConnector } from '../../connectors/types';
import { referencedRefsOf, referenceIndex } from '../../domain/references';
import { inSyncWithLink } from '../../domain/echo';
import type { CrmObject } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { Logger } from '../../logger';
import type { SyncStore } from '../../store/types';

/**
 * Zoho's notifications do not say who changed a record, so each of our own writes into Zoho comes back as a change.
 * Signalling those would cost a workflow and a CRM read per record: a backfill writing 100 Zoho records per call would
 * turn into 100 live syncs competing with real edits. One batch read per notification tells the echoes apart (the
 * record holds exactly what its link says we left there) and they are dropped here, as HubSpot's own writes are by
 * sourceId.
 */
export interface ZohoEchoFilter {
  /** ids (of those given) whose records are exactly as last synced; empty when unsure */
  echoes(object: CrmObject, ids: string[]): Promise<Set<string>>;
}

export interface ZohoEchoFilterDeps {
  connector: CrmConnector;
  store: SyncStore;
  rules: SyncRules;
  logger: Logger;
  /** past this the notification is signalled whole: the check must not hold up a delivery */
  timeoutMs: number;
}

export function createZohoEchoFilter(deps: ZohoEchoFilterDeps): ZohoEchoFilter {
  const check = async (object: CrmObject, ids: string[]): Promise<Set<string>> => {
    const snapshots = await deps.connector.getMany(object, ids);
    const entities = await deps.store.getEntities([...snapshots.map((snapshot) => snapshot.ref), ...referencedRefsOf(snapshots)]);
    const index = referenceIndex(entities.slice(snapshots.length));
    const inSync = snapshots.filter((snapshot, position) => {
      const entity = entities[position];
      return entity ? inSyncWithLink(deps.rules, entity, snapshot, index) : false;
    });
    return new Set(inSync.map((snapshot) => snapshot.ref.id));
  };
  return {
    async echoes(object, ids) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Set<string>>((resolve) => {
        timer = setTimeout(() => resolve(new Set()), deps.timeoutMs);
      });
      try {
        // Any doubt (Zoho slow, 429, store down) signals everything: a needless sync costs a read, a dropped change is lost.
        return await Promise.race([check(object, ids), timeout]);
      } catch (error) {
        deps.logger.warn({ err: error instanceof Error ? error.message : String(error), object, count: ids.length }, 'Zoho echo check failed; signalling every record');
        return new Set();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
