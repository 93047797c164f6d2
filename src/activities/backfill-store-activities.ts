import type { SyncRules } from '../config/sync-rules';
import type { RecordRef, RecordSnapshot } from '../domain/records';
import { lookupPairs, type PairLookup } from '../store/matches-base';
import type { FailureInput, LinkedPair, NewLinkedPair, PairSave, SyncStore } from '../store/types';
import { classifyErrors } from './activity-failure';
import { planSync, type SyncPlan, type SyncPlanInput } from './plan-sync';

export type PairSaveResult = { ok: true; revision: number } | { ok: false };

/**
 * The store side of a backfill page, as local activities: the same lookups, plan (planSync) and optimistic pair saves
 * a live pass makes, one call per page instead of per record.
 */
export function createBackfillStoreActivities(store: SyncStore, rules: SyncRules) {
  return classifyErrors({
    async backfillLookup(snapshots: RecordSnapshot[]): Promise<PairLookup[]> {
      return lookupPairs(rules, store, snapshots);
    },
    async backfillPairsOf(refs: RecordRef[]): Promise<(LinkedPair | null)[]> {
      return store.getPairs(refs);
    },
    async backfillPlan(inputs: SyncPlanInput[]): Promise<SyncPlan[]> {
      const out: SyncPlan[] = [];
      for (const input of inputs) out.push(await planSync(rules, store, input));
      return out;
    },
    /**
     * Saves each pair if its revision is still the expected one. A conflict is reported, not thrown: live sync changed
     * that pair meanwhile, and the record goes to its live workflow. A local activity may run again when the workflow
     * task is replayed: a pair already holding exactly what this save writes counts as saved.
     */
    async backfillSavePairs(saves: PairSave[]): Promise<PairSaveResult[]> {
      const saved = await store.savePairs(saves);
      const out: PairSaveResult[] = [];
      for (const [index, save] of saves.entries()) {
        const pair = saved[index];
        if (pair) {
          out.push({ ok: true, revision: pair.revision });
          continue;
        }
        const current = await currentPair(store, save.pair);
        out.push(current && sameContent(current, save.pair) ? { ok: true, revision: current.revision } : { ok: false });
      }
      return out;
    },
    /** The same failure report as live sync (a record synced clears its open failures when its pair is saved). */
    async backfillRecordFailures(failures: FailureInput[]): Promise<void> {
      for (const failure of failures) await store.recordFailure(failure);
    },
  });
}

export type BackfillStoreActivities = ReturnType<typeof createBackfillStoreActivities>;

async function currentPair(store: SyncStore, pair: NewLinkedPair): Promise<LinkedPair | null> {
  if (pair.hubspotId) return store.getPair({ system: 'hubspot', object: pair.object, id: pair.hubspotId });
  if (pair.zohoId) return store.getPair({ system: 'zoho', object: pair.object, id: pair.zohoId });
  return null;
}

function sameContent(stored: LinkedPair, pair: NewLinkedPair): boolean {
  return (
    stored.hubspotId === pair.hubspotId &&
    stored.zohoId === pair.zohoId &&
    stored.hubspotVersion === pair.hubspotVersion &&
    stored.zohoVersion === pair.zohoVersion &&
    canonicalJson(stored.base) === canonicalJson(pair.base)
  );
}

function canonicalJson(values: Record<string, string | null>): string {
  return JSON.stringify(Object.keys(values).sort().map((key) => [key, values[key] ?? null]));
}
