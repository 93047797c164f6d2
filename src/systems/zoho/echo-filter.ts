import { setTimeout as delay } from 'node:timers/promises';
import type { CrmConnector } from '../../connectors/types';
import { referencedRefsOf, referenceIndex } from '../../domain/references';
import { holdsUnsavedWrite, inSyncWithLink } from '../../domain/echo';
import type { Entity } from '../../domain/entity';
import type { CrmObject, RecordSnapshot } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { Logger } from '../../logger';
import type { SyncStore } from '../../store/types';

/**
 * Zoho's notifications do not say who changed a record, so each of our own writes into Zoho comes back as a change.
 * Signalling those would cost a workflow and a CRM read per record: a backfill writing 100 Zoho records per call would
 * turn into 100 live syncs competing with real edits. One batch read per notification tells the echoes apart (the
 * record holds exactly what its link says we left there) and they are dropped here, as HubSpot's own writes are by
 * sourceId. A record that holds a write whose pass has not saved yet is looked at again until that save comes (or
 * `saveWaitMs` passes): at 50 edits/s most echoes came before the save, and each cost a workflow task beside the pass.
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
  /** how long, within timeoutMs, a record holding an unsaved write of ours waits for its pass's save */
  saveWaitMs: number;
}

/** How often a record waiting for its pass's save is compared again (two store queries each time). */
const SAVE_POLL_MS = 100;

export function createZohoEchoFilter(deps: ZohoEchoFilterDeps): ZohoEchoFilter {
  /**
   * Which of these records are echoes now, and which hold an unsaved write of ours (an echo once its pass saves). Only
   * records linked but not in sync are asked about unsaved writes: most notifications need no second query.
   */
  const compare = async (snapshots: RecordSnapshot[]) => {
    const entities = await deps.store.getEntities([...snapshots.map((snapshot) => snapshot.ref), ...referencedRefsOf(snapshots)]);
    const index = referenceIndex(entities.slice(snapshots.length));
    const echoes: RecordSnapshot[] = [];
    const changed: { snapshot: RecordSnapshot; entity: Entity }[] = [];
    snapshots.forEach((snapshot, position) => {
      const entity = entities[position];
      if (!entity) return;
      if (inSyncWithLink(deps.rules, entity, snapshot, index)) echoes.push(snapshot);
      else changed.push({ snapshot, entity });
    });
    const unsaved = changed.length > 0 ? await deps.store.ownWritesOf(changed.map(({ snapshot }) => snapshot.ref), { unsaved: true }) : [];
    const awaitingSave = changed.filter(({ snapshot, entity }, k) => holdsUnsavedWrite(deps.rules, entity, snapshot, index, unsaved[k] ?? null)).map(({ snapshot }) => snapshot);
    return { echoes, awaitingSave };
  };
  const check = async (object: CrmObject, ids: string[]): Promise<Set<string>> => {
    const waitUntil = Date.now() + deps.saveWaitMs;
    const echoes = new Set<string>();
    let snapshots = await deps.connector.getMany(object, ids);
    for (;;) {
      const compared = await compare(snapshots);
      for (const snapshot of compared.echoes) echoes.add(snapshot.ref.id);
      snapshots = compared.awaitingSave;
      if (snapshots.length === 0 || Date.now() + SAVE_POLL_MS > waitUntil) return echoes;
      await delay(SAVE_POLL_MS);
    }
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
