import type { SyncRules } from '../config/sync-rules';
import { changedFields } from '../domain';
import { COMPANY_FIELD, type RecordRef, type RecordSnapshot } from '../domain/records';
import type { LinkedPair, SyncStore } from './types';

/**
 * Nothing a merge would act on differs from the pair's merge base: the record is as we last left it, typically the
 * echo of our own write. Shared by the live pass (skip) and the Zoho ingress (drop the notification).
 */
export async function matchesBase(rules: SyncRules, store: SyncStore, pair: LinkedPair, snapshot: RecordSnapshot): Promise<boolean> {
  const sideId = snapshot.ref.system === 'hubspot' ? pair.zohoId : pair.hubspotId;
  if (snapshot.counterpartId && snapshot.counterpartId !== sideId) return false;
  if (changedFields(rules, snapshot.ref.object, snapshot.ref.system, snapshot.fields, pair.base).length > 0) return false;
  if (snapshot.ref.object !== 'contact' || !(COMPANY_FIELD in pair.base)) return true;
  const company = snapshot.companyId ?? null;
  if (snapshot.ref.system === 'zoho' || company === null) return (pair.base[COMPANY_FIELD] ?? null) === company;
  const companyPair = await store.getPair({ system: 'hubspot', object: 'company', id: company });
  return (companyPair?.zohoId ?? `hubspot:${company}`) === pair.base[COMPANY_FIELD];
}

export interface PairLookup {
  pair: LinkedPair | null;
  /** The record holds exactly the values last synced: nothing to do (typically the echo of our own write). */
  inSync: boolean;
}

/** The record's linked pair, and whether the record as read (if given) still equals the pair's merge base. */
export async function lookupPair(rules: SyncRules, store: SyncStore, ref: RecordRef, snapshot: RecordSnapshot | null): Promise<PairLookup> {
  return inSyncWith(rules, store, await store.getPair(ref), snapshot);
}

/** lookupPair for many records read at once (a backfill page, a Zoho notification): one store query for all. */
export async function lookupPairs(rules: SyncRules, store: SyncStore, snapshots: readonly RecordSnapshot[]): Promise<PairLookup[]> {
  const pairs = await store.getPairs(snapshots.map((snapshot) => snapshot.ref));
  const out: PairLookup[] = [];
  for (const [index, snapshot] of snapshots.entries()) out.push(await inSyncWith(rules, store, pairs[index] ?? null, snapshot));
  return out;
}

async function inSyncWith(rules: SyncRules, store: SyncStore, pair: LinkedPair | null, snapshot: RecordSnapshot | null): Promise<PairLookup> {
  return { pair, inSync: pair !== null && snapshot !== null && (await matchesBase(rules, store, pair, snapshot)) };
}
