import type { SyncPlan, SyncPlanInput } from '../activities/plan-sync';
import { matchKeysOf } from '../domain';
import { findLikelyDuplicates } from '../domain/backfill-duplicates';
import type { Verdict } from '../domain/backfill-progress';
import { otherSystem, workflowIdFor, type CrmObject, type CrmSystem, type RecordSnapshot } from '../domain/records';
import type { LinkedPair } from '../store/types';
import { backfillStore, type BatchScope } from './backfill-activities';
import { applyWrites, type WriteItem } from './backfill-writes';

/** One record of a page on its way through the batch pass. */
export interface BatchItem {
  index: number;
  source: RecordSnapshot;
  pair: LinkedPair | null;
  counterpart: RecordSnapshot | null;
  /** found by match keys rather than through the link or the cross-reference */
  matchedByKey: boolean;
}

/**
 * The live pass (sync-pass.ts) for a whole page at once: the same steps in the same order, with the CRM calls
 * batched. In sync with the merge base → skipped; counterpart by the link, then the cross-reference, then match keys;
 * a contact's company linked first when the contact reaches the other side; the same planSync; then writes.
 */
export async function syncBatch(scope: BatchScope, object: CrmObject, records: RecordSnapshot[], forceHubspotCreate = false): Promise<Verdict[]> {
  const verdicts: Verdict[] = records.map(() => 'skipped');
  if (records.length === 0) return verdicts;
  const lookups = await backfillStore.backfillLookup(records);
  const items: BatchItem[] = records.flatMap((source, index) => {
    const lookup = lookups[index];
    return lookup && !lookup.inSync ? [{ index, source, pair: lookup.pair, counterpart: null, matchedByKey: false }] : [];
  });
  if (items.length === 0) return verdicts;
  await findCounterparts(scope, object, items);
  if (object === 'contact') await linkCompanies(scope, items, forceHubspotCreate);
  const plans = await backfillStore.backfillPlan(items.map((item) => planInput(scope.from, object, item, forceHubspotCreate)));

  const writes: WriteItem[] = [];
  items.forEach((item, k) => {
    const plan = plans[k] as SyncPlan;
    if (plan.action === 'skip') return;
    if (plan.action === 'invalid') {
      verdicts[item.index] = 'failed';
      if (!scope.dryRun) {
        scope.failures.push({
          ref: item.source.ref,
          operation: plan.operation,
          category: 'validation',
          message: `invalid ${plan.target} ${object} for ${plan.operation}`,
          fields: plan.problems,
          workflowId: workflowIdFor(item.source.ref),
        });
      }
      return;
    }
    writes.push({ ...item, plan: plan.action === 'write' ? plan : null });
  });

  const target = otherSystem(scope.from);
  const duplicates = findLikelyDuplicates(object, target, writes.map((w) => ({
    sourceId: w.source.ref.id,
    counterpartId: w.counterpart?.ref.id ?? null,
    matchedByKey: w.matchedByKey,
    counterpartLinkedTo: w.counterpart?.counterpartId ?? null,
    creates: w.counterpart === null,
    fields: w.source.fields,
  })));
  const flagged = new Map(duplicates.map((d) => [d.index, d]));
  for (const duplicate of duplicates) {
    scope.duplicates.push({ object, sourceId: writes[duplicate.index]?.source.ref.id ?? '', counterpartId: duplicate.counterpartId, reason: duplicate.reason });
  }

  if (scope.dryRun) {
    for (const w of writes) verdicts[w.index] = w.counterpart === null ? 'wouldCreate' : w.pair === null ? 'wouldLink' : 'wouldUpdate';
    return verdicts;
  }
  const ready: WriteItem[] = [];
  writes.forEach((w, k) => {
    const duplicate = flagged.get(k);
    const company = object === 'contact' && w.source.companyId ? scope.failedCompanies.get(w.source.companyId) : undefined;
    if (duplicate) {
      verdicts[w.index] = 'failed';
      reportUnsettled(scope, w.source, object, 'duplicate', `likely duplicate: ${duplicate.reason}`, [{ field: 'record', reason: duplicate.reason }]);
    } else if (company !== undefined) {
      verdicts[w.index] = 'failed';
      reportUnsettled(scope, w.source, object, 'link', `its company ${w.source.companyId ?? ''} could not be synced: ${company}`, [{ field: 'company', reason: company }]);
    } else if (w.plan === null) {
      // The contact's company still has no counterpart: the live path creates it first.
      verdicts[w.index] = 'handedToLive';
      scope.handOff.push(w.source.ref);
    } else ready.push(w);
  });
  for (const [index, verdict] of await applyWrites(scope, object, ready)) verdicts[index] = verdict;
  return verdicts;
}

/**
 * A likely duplicate is reported rather than handed to live sync: the live pass would link it to the same counterpart
 * and collide with the existing link. A person decides (merge the records, or tell them apart), and the record's next
 * change or a retry syncs it.
 */
function reportUnsettled(scope: BatchScope, source: RecordSnapshot, object: CrmObject, category: string, message: string, fields: { field: string; reason: string }[]): void {
  scope.failures.push({ ref: source.ref, operation: 'link', category, message, fields, workflowId: workflowIdFor(source.ref) });
}

function planInput(origin: CrmSystem, object: CrmObject, item: BatchItem, forceHubspotCreate: boolean): SyncPlanInput {
  const sides = origin === 'hubspot' ? { hubspot: item.source, zoho: item.counterpart } : { hubspot: item.counterpart, zoho: item.source };
  return { object, origin, ...sides, pair: item.pair, forceHubspotCreate };
}

/** findCounterpart for the page: one batch read of the linked ids, one batch match for the rest. */
async function findCounterparts(scope: BatchScope, object: CrmObject, items: BatchItem[]): Promise<void> {
  const target = otherSystem(scope.from);
  const knownIds = items.map((item) => (target === 'hubspot' ? item.pair?.hubspotId : item.pair?.zohoId) ?? item.source.counterpartId ?? null);
  const wanted = [...new Set(knownIds.filter((id): id is string => id !== null))];
  const known = new Map((wanted.length > 0 ? await scope.crm(target).backfillRead(object, wanted) : []).map((r) => [r.ref.id, r]));
  items.forEach((item, k) => {
    const id = knownIds[k];
    item.counterpart = id ? (known.get(id) ?? null) : null;
  });
  const unmatched = items.filter((item) => item.counterpart === null);
  const keys = unmatched.map((item) => matchKeysOf(object, item.source.fields));
  if (!keys.some((k) => k.email || k.domain || k.name)) return;
  const matches = await scope.crm(target).backfillMatch(object, keys);
  unmatched.forEach((item, k) => {
    item.counterpart = matches[k] ?? null;
    item.matchedByKey = item.counterpart !== null;
  });
}

/**
 * ensureCompanyLinked for the page: the companies of the contacts that will reach the other side and whose company
 * has no counterpart yet go through this same batch pass first (created or linked), as live sync does inline.
 */
async function linkCompanies(scope: BatchScope, items: BatchItem[], forceHubspotCreate: boolean): Promise<void> {
  const target = otherSystem(scope.from);
  const reaching = items.filter((item) => item.source.companyId && (item.counterpart !== null || scope.from === 'hubspot' || item.source.hot === true || forceHubspotCreate));
  const companyIds = [...new Set(reaching.map((item) => item.source.companyId ?? ''))].filter(Boolean);
  if (companyIds.length === 0 || scope.dryRun) return;
  const pairs = await backfillStore.backfillPairsOf(companyIds.map((id) => ({ system: scope.from, object: 'company', id })));
  const unlinked = companyIds.filter((_, k) => {
    const pair = pairs[k];
    return !(pair && (target === 'hubspot' ? pair.hubspotId : pair.zohoId));
  });
  if (unlinked.length === 0) return;
  const companies = await scope.crm(scope.from).backfillRead('company', unlinked);
  const verdicts = await syncBatch(scope, 'company', companies, scope.from === 'zoho');
  scope.companiesSynced += verdicts.filter((v) => v === 'created' || v === 'linked' || v === 'updated').length;
  for (const failure of scope.failures) if (failure.ref.object === 'company') scope.failedCompanies.set(failure.ref.id, failure.message);
}
