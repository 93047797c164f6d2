import { recordKey, referencedRecordOf, referencedRefsOf, referenceIndex, type ReferenceIndex } from '../domain/references';
import { findLikelyDuplicates, joinedEntity, othersOf } from '../domain/duplicates';
import { inSyncWithLink } from '../domain/echo';
import type { Entity } from '../domain/entity';
import type { Verdict } from '../domain/backfill-progress';
import { hubSystem, systemsHolding } from '../domain/hub';
import { matchKeysOf } from '../domain/mapping';
import { planPass, type Plan, type PlanInput, type WritePlan } from '../domain/plan';
import { foundLookupOfAll } from '../domain/pass-reads';
import { EMPTY_IS_HELD } from './sync-pass';
import { REFERENCES, workflowIdFor, type CrmObject, type RecordRef, type RecordSnapshot, type SystemName } from '../domain/records';
import { backfillStore, createsFirst, type BatchScope } from './backfill-activities';
import { applyWrites, type WriteItem } from './backfill-writes';
import { isPatched } from './patches';

/** One record of a page on its way through the batch pass. */
interface BatchItem {
  index: number;
  source: RecordSnapshot;
  entity: Entity | null;
  /** per system holding the object: the record found there (the source in its own system) */
  records: Record<SystemName, RecordSnapshot | null>;
  /** systems where the record was found by match keys rather than through a link or a cross-reference */
  matched: SystemName[];
}

/**
 * The live pass (sync-pass.ts) for a whole page at once: the same steps in the same order, with the calls batched.
 * In sync with its link → skipped; records elsewhere by link, then cross-reference, then match keys; the same
 * planPass; a contact's company synced first where a contact needs it; then the writes (backfill-writes.ts).
 */
export async function syncBatch(scope: BatchScope, object: CrmObject, records: RecordSnapshot[], forceCreate: SystemName[] = []): Promise<Verdict[]> {
  const verdicts: Verdict[] = records.map(() => 'skipped');
  if (records.length === 0) return verdicts;
  const first = await backfillStore.lookup(records.map((record) => record.ref), referencedRefsOf(records));
  const echoes = referenceIndex(first.companies);
  // records asked for elsewhere (the companies a page's contacts need in HubSpot) go on even when in sync, as live
  const wanted = forceCreate.length > 0 && isPatched('backfill-force-create-past-in-sync');
  const items: BatchItem[] = records.flatMap((source, index) => {
    const entity = first.entities[index] ?? null;
    return entity && !wanted && inSyncWithLink(scope.settings.rules, entity, source, echoes) ? [] : [{ index, source, entity, records: { [scope.from]: source }, matched: [] }];
  });
  if (items.length === 0) return verdicts;
  await findRecords(scope, object, items);

  const { found, request } = foundLookupOfAll(items);
  // Nothing found elsewhere (a page created first): the first lookup already holds every company the page refers to.
  const looked =
    found.every((own) => own.length === 0) && isPatched('backfill-skips-empty-lookup')
      ? { entities: [], companies: first.companies }
      : await backfillStore.lookup(request.refs, request.companyRefs);
  let companies = referenceIndex(looked.companies);
  let offset = 0;
  const settled = items.filter((item, k) => {
    const own = found[k] ?? [];
    const joined = joinedEntity(item.source, own, item.entity, looked.entities.slice(offset, offset + own.length));
    offset += own.length;
    if ('duplicate' in joined) return reportDuplicate(scope, verdicts, item, null, joined.duplicate);
    // joining an entity with records elsewhere is rare: the live pass finds them through its links
    if (joined.entity && joined.entity.id !== item.entity?.id) return handOff(scope, verdicts, item.index, item.source.ref);
    return true;
  });

  let planned = settled.map((item) => ({ item, plan: planPass(planInput(scope, object, item, companies, forceCreate)) }));
  // A plan names one missing reference at a time (a deal's contact in HubSpot, then its company; a contact's company
  // in Zoho, then in HubSpot): a round per reference and system, as many as the live pass allows itself.
  const rounds = REFERENCES[object].length * scope.settings.systems.length;
  for (let round = 0; round < rounds && !scope.dryRun; round++) {
    const needing = planned.filter(({ plan }) => plan.action === 'needs-reference');
    if (needing.length === 0 || (round > 0 && !isPatched('backfill-every-reference'))) break;
    await syncReferenced(scope, needing.map(({ plan }) => plan), companies);
    companies = referenceIndex((await backfillStore.lookup([], referencedRefsOf(settled.flatMap((item) => Object.values(item.records))))).companies);
    planned = planned.map(({ item, plan }) => (plan.action === 'needs-reference' ? { item, plan: planPass(planInput(scope, object, item, companies, forceCreate)) } : { item, plan }));
  }

  const failedReferenced = new Map(scope.failures.map((f) => [`${f.ref.object}/${recordKey(f.ref.system, f.ref.id)}`, f.message]));
  const writes: WriteItem[] = [];
  for (const { item, plan } of planned) {
    if (plan.action === 'skip') continue;
    if (plan.action === 'invalid') {
      verdicts[item.index] = 'failed';
      if (!scope.dryRun) report(scope, item.source.ref, plan.operation, 'validation', `invalid ${plan.target} ${object} for ${plan.operation}`, plan.problems);
    } else if (plan.action === 'write' && writesByCommand(scope, plan)) {
      // commands are answered one by one, by signal: the record's own workflow sends them and waits
      handOff(scope, verdicts, item.index, item.source.ref);
    } else if (plan.action === 'write') {
      writes.push({ index: item.index, input: planInput(scope, object, item, companies, forceCreate), plan, isNew: item.entity === null, matched: item.matched });
    } else if (plan.action === 'needs-reference' && scope.dryRun) {
      // a dry run syncs no company: the contact would go where its plan goes once the company is there
      verdicts[item.index] = othersOf(item.source, item.records).length === 0 ? 'wouldCreate' : item.entity === null ? 'wouldLink' : 'wouldUpdate';
    } else if (plan.action === 'needs-reference' && failedReferenced.has(referencedKey(plan, companies))) {
      // the company of this page was reported (a likely duplicate, refused data): its contacts are reported with it
      verdicts[item.index] = 'failed';
      const referenced = referencedRecordOf(plan.value, companies);
      const reason = failedReferenced.get(referencedKey(plan, companies)) ?? '';
      report(scope, item.source.ref, 'link', 'link', `its ${plan.object} ${referenced?.id ?? plan.value} could not be synced: ${reason}`, [{ field: plan.object, reason }]);
    } else {
      // stale, or a company that still has no record where the contact goes: the live pass settles it
      handOff(scope, verdicts, item.index, item.source.ref);
    }
  }
  const ready = withoutPageDuplicates(scope, object, verdicts, writes);
  if (scope.dryRun) {
    for (const w of ready) verdicts[w.index] = w.plan.targets.some((t) => t.operation === 'create') ? 'wouldCreate' : w.isNew ? 'wouldLink' : 'wouldUpdate';
    return verdicts;
  }
  for (const [index, verdict] of await applyWrites(scope, object, ready)) verdicts[index] = verdict;
  return verdicts;
}

/**
 * Records a batch must not settle on its own (a match already linked elsewhere, two records of the page on one
 * record elsewhere, two creates a system would merge): reported as likely duplicates for a person to decide.
 */
function withoutPageDuplicates(scope: BatchScope, object: CrmObject, verdicts: Verdict[], writes: WriteItem[]): WriteItem[] {
  const flagged = new Map<number, string>();
  for (const system of systemsHolding(scope.settings, object)) {
    const target = hubSystem(scope.settings, system);
    if (system === scope.from || !target) continue;
    const candidates = writes.map((w) => {
      const record = w.input.records[system] ?? null;
      return {
        sourceId: w.input.records[scope.from]?.ref.id ?? '',
        counterpartId: record?.ref.id ?? null,
        matchedByKey: w.matched.includes(system),
        counterpartLinkedTo: record?.crossRefs?.[scope.from] ?? null,
        creates: w.plan.targets.some((t) => t.system === system && t.operation === 'create'),
        fields: w.plan.merged,
      };
    });
    for (const duplicate of findLikelyDuplicates(object, target, candidates)) if (!flagged.has(duplicate.index)) flagged.set(duplicate.index, duplicate.reason);
  }
  return writes.filter((w, k) => {
    const reason = flagged.get(k);
    if (reason === undefined) return true;
    reportDuplicate(scope, verdicts, { index: w.index, source: w.input.records[scope.from] as RecordSnapshot }, null, reason);
    // a dry run lists the duplicate and still says what it would do with the record
    return scope.dryRun;
  });
}

function planInput(scope: BatchScope, object: CrmObject, item: BatchItem, companies: ReferenceIndex, forceCreate: SystemName[]): PlanInput {
  return { settings: scope.settings, object, origin: scope.from, entity: item.entity, records: item.records, references: companies, forceCreate, emptyIsHeld: isPatched(EMPTY_IS_HELD) };
}

/** The record in every other system: one batch read of the known ids, one batch match for the rest, per system. */
async function findRecords(scope: BatchScope, object: CrmObject, items: BatchItem[]): Promise<void> {
  await Promise.all(
    systemsHolding(scope.settings, object)
      .filter((system) => system !== scope.from)
      .map(async (system) => {
        const knownIds = items.map((item) => item.entity?.links[system]?.recordId ?? item.source.crossRefs?.[system] ?? null);
        const wanted = [...new Set(knownIds.filter((id): id is string => id !== null))];
        const known = new Map((wanted.length > 0 ? await scope.crm(system).backfillRead(object, wanted) : []).map((r) => [r.ref.id, r]));
        items.forEach((item, k) => {
          const id = knownIds[k];
          item.records[system] = id ? (known.get(id) ?? null) : null;
        });
        const unmatched = items.filter((item) => item.records[system] === null);
        const keys = unmatched.map((item) => matchKeysOf(object, item.source.fields));
        if (!hubSystem(scope.settings, system)?.canMatch || !keys.some((k) => k.email || k.domain || k.name) || createsFirst(scope, system, object)) return;
        const matches = await scope.crm(system).backfillMatch(object, keys);
        unmatched.forEach((item, k) => {
          const match = matches[k] ?? null;
          item.records[system] = match;
          if (match) item.matched.push(system);
        });
      }),
  );
}

/**
 * What records of this page point at (a contact's company) and has no record yet where they go passes through this
 * same batch pass first (created there, or linked), from the system that holds it, as the live pass does inline.
 */
async function syncReferenced(scope: BatchScope, plans: Plan[], references: ReferenceIndex): Promise<void> {
  const groups = new Map<string, { system: SystemName; object: CrmObject; ids: Set<string>; targets: Set<SystemName> }>();
  for (const plan of plans) {
    if (plan.action !== 'needs-reference') continue;
    const referenced = referencedRecordOf(plan.value, references);
    if (!referenced) continue;
    const key = `${plan.object}/${referenced.system}`;
    const group = groups.get(key) ?? { system: referenced.system, object: plan.object, ids: new Set<string>(), targets: new Set<SystemName>() };
    group.ids.add(referenced.id);
    group.targets.add(plan.target);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const records = await scope.crm(group.system).backfillRead(group.object, [...group.ids]);
    // Matched before they are created: a referenced record HubSpot already holds (a buyer live sync made meanwhile)
    // would be refused and handed over, and every record of the page pointing at it with it.
    const verdicts = await syncBatch({ ...scope, from: group.system, createFirst: false }, group.object, records, [...group.targets]);
    scope.companiesSynced += verdicts.filter((v) => v === 'created' || v === 'linked' || v === 'updated').length;
  }
}

function referencedKey(plan: { object: CrmObject; value: string }, references: ReferenceIndex): string {
  const record = referencedRecordOf(plan.value, references);
  return `${plan.object}/${record ? recordKey(record.system, record.id) : plan.value}`;
}

/**
 * Whether the batch must leave the record to its live workflow because a write goes out as a command. A source
 * written by commands (a shop user a purchase needs in HubSpot) only gets the new records' ids back that way: its
 * targets are written here in the batch, and applyWrites hands just that write-back to live sync.
 */
function writesByCommand(scope: BatchScope, plan: WritePlan): boolean {
  const byCommand = (write: { system: SystemName }) => hubSystem(scope.settings, write.system)?.writesByCommand === true;
  if (plan.targets.some(byCommand)) return true;
  return plan.origin !== null && byCommand(plan.origin) && !isPatched('backfill-targets-before-command');
}

function handOff(scope: BatchScope, verdicts: Verdict[], index: number, ref: RecordRef): false {
  verdicts[index] = 'handedToLive';
  scope.handOff.push(ref);
  return false;
}

function reportDuplicate(scope: BatchScope, verdicts: Verdict[], item: { index: number; source: RecordSnapshot }, counterpartId: string | null, reason: string): false {
  verdicts[item.index] = 'failed';
  scope.duplicates.push({ object: item.source.ref.object, sourceId: item.source.ref.id, counterpartId, reason });
  if (!scope.dryRun) report(scope, item.source.ref, 'link', 'duplicate', `likely duplicate: ${reason}`, [{ field: 'record', reason }]);
  return false;
}

function report(scope: BatchScope, ref: RecordRef, operation: 'create' | 'update' | 'link', category: string, message: string, fields: { field: string; reason: string }[]): void {
  scope.failures.push({ ref, operation, category, message, fields, workflowId: workflowIdFor(ref) });
}
