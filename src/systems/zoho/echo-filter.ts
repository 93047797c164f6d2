import { setTimeout as delay } from 'node:timers/promises';
import type { CrmConnector } from '../../connectors/types';
import { referencedRefsOf, referenceIndex } from '../../domain/references';
import { holdsUnsavedWrite, inSyncWithLink } from '../../domain/echo';
import type { CrmObject, RecordRef, RecordSnapshot } from '../../domain/records';
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
   * What the store holds of these records: their entities, and the writes passes recorded making there and have not
   * saved yet. Asked while Zoho is read, not after: Zoho may send a channel's notifications one at a time (its
   * simulator does; Zoho documents nothing either way), and then the time a delivery takes bounds how many edits a
   * second reach the hub at all.
   */
  const storedOf = async (refs: RecordRef[]) => {
    const [entities, unsaved] = await Promise.all([deps.store.getEntities(refs), deps.store.ownWritesOf(refs, { unsaved: true })]);
    return new Map(refs.map((ref, k) => [ref.id, { entity: entities[k] ?? null, unsaved: unsaved[k] ?? null }]));
  };
  /** Which of these records are echoes now, and which hold an unsaved write of ours (an echo once its pass saves). */
  const compare = async (snapshots: RecordSnapshot[], stored: Awaited<ReturnType<typeof storedOf>>) => {
    const referenced = referencedRefsOf(snapshots);
    const index = referenceIndex(referenced.length > 0 ? await deps.store.getEntities(referenced) : []);
    const echoes: RecordSnapshot[] = [];
    const awaitingSave: RecordSnapshot[] = [];
    for (const snapshot of snapshots) {
      const { entity, unsaved } = stored.get(snapshot.ref.id) ?? { entity: null, unsaved: null };
      if (!entity) continue;
      if (inSyncWithLink(deps.rules, entity, snapshot, index)) echoes.push(snapshot);
      else if (holdsUnsavedWrite(deps.rules, entity, snapshot, index, unsaved)) awaitingSave.push(snapshot);
    }
    return { echoes, awaitingSave };
  };
  const check = async (object: CrmObject, ids: string[]): Promise<Set<string>> => {
    const waitUntil = Date.now() + deps.saveWaitMs;
    const echoes = new Set<string>();
    let [snapshots, stored] = await Promise.all([deps.connector.getMany(object, ids), storedOf(ids.map((id) => ({ system: deps.connector.system, object, id })))]);
    for (;;) {
      const compared = await compare(snapshots, stored);
      for (const snapshot of compared.echoes) echoes.add(snapshot.ref.id);
      snapshots = compared.awaitingSave;
      if (snapshots.length === 0 || Date.now() + SAVE_POLL_MS > waitUntil) return echoes;
      await delay(SAVE_POLL_MS);
      stored = await storedOf(snapshots.map((snapshot) => snapshot.ref));
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
