import type { BackfillUpdateInput, BatchWriteOutcome } from '../activities/backfill-crm-activities';
import type { PairSave } from '../store/types';
import type { PlannedWrite, SyncPlan } from '../activities/plan-sync';
import type { Verdict } from '../domain/backfill-progress';
import { otherSystem, workflowIdFor, type CrmObject, type CrmSystem, type FieldValues, type RecordSnapshot } from '../domain/records';
import { backfillStore, type BatchScope } from './backfill-activities';
import type { BatchItem } from './backfill-batch';
import { withCounterpart } from './sync-pass';

type WritePlan = Extract<SyncPlan, { action: 'write' }>;

export interface WriteItem extends BatchItem {
  /** null: the plan needs the contact's company first (the record goes to live sync) */
  plan: WritePlan | null;
}

interface Progress {
  item: WriteItem & { plan: WritePlan };
  counterpartWrite: Extract<BatchWriteOutcome, { ok: true }> | null;
  revision: number | null;
  wroteSource: boolean;
}

/**
 * The live pass's writes for a batch, in the live pass's order: the counterparts (batch create = upsert by unique
 * key, batch update with the lost-update check), the links saved (interim merge base), the sources (their own merged
 * fields and the counterpart's id), the final merge base. A record any step cannot settle leaves the batch: refused
 * data goes to the failure report, anything else to its live workflow.
 */
export async function applyWrites(scope: BatchScope, object: CrmObject, items: WriteItem[]): Promise<Map<number, Verdict>> {
  const verdicts = new Map<number, Verdict>();
  const from = scope.from;
  const target = otherSystem(from);
  const settle = (progress: Progress, outcome: Exclude<BatchWriteOutcome, { ok: true }>, system: CrmSystem, operation: 'create' | 'update') => {
    const { source } = progress.item;
    if (outcome.reason === 'invalid') {
      verdicts.set(progress.item.index, 'failed');
      scope.failures.push({ ref: source.ref, operation, category: outcome.category, message: `${system}: ${outcome.message}`, fields: outcome.fields, workflowId: workflowIdFor(source.ref) });
    } else handOff(progress);
  };
  const handOff = (progress: Progress) => {
    verdicts.set(progress.item.index, 'handedToLive');
    scope.handOff.push(progress.item.source.ref);
  };
  const open = (all: Progress[]) => all.filter((p) => !verdicts.has(p.item.index));
  const all: Progress[] = items.flatMap((item) => (item.plan ? [{ item: { ...item, plan: item.plan }, counterpartWrite: null, revision: null, wroteSource: false }] : []));

  // 1. counterparts
  const creates = all.filter((p) => p.item.plan[target]?.operation === 'create');
  const updates = all.filter((p) => p.item.plan[target]?.operation === 'update');
  const [created, updated] = await Promise.all([
    creates.length > 0 ? scope.crm(target).backfillCreate(object, creates.map((p) => createInput(p.item.plan[target], p.item.source))) : [],
    updates.length > 0 ? scope.crm(target).backfillUpdate(object, updates.map((p) => updateInput(p.item.plan[target], p.item.counterpart))) : [],
  ]);
  const land = (group: Progress[], outcomes: BatchWriteOutcome[], operation: 'create' | 'update') =>
    group.forEach((p, k) => {
      const outcome = outcomes[k];
      if (outcome?.ok) p.counterpartWrite = outcome;
      else if (outcome) settle(p, outcome, target, operation);
      else handOff(p);
    });
  land(creates, created, 'create');
  land(updates, updated, 'update');

  // 2. links saved with the interim base, so an interrupted batch resumes as a live pass would
  const saving = open(all);
  const interim = saving.length > 0 ? await backfillStore.backfillSavePairs(saving.map((p) => pairSave(from, p, p.item.plan.interimBase, p.item.pair?.revision ?? null))) : [];
  saving.forEach((p, k) => {
    const saved = interim[k];
    if (saved?.ok) p.revision = saved.revision;
    else handOff(p);
  });

  // 3. sources: their own merged fields and the counterpart's id
  const sourcing = open(all).flatMap((p) => {
    const plan = withCounterpart(p.item.plan[from], p.item.source, counterpartIdOf(p));
    return plan ? [{ p, input: updateInput(plan, p.item.source) }] : [];
  });
  const sourced = sourcing.length > 0 ? await scope.crm(from).backfillUpdate(object, sourcing.map((s) => s.input)) : [];
  const finals: Progress[] = [];
  sourcing.forEach(({ p }, k) => {
    const outcome = sourced[k];
    if (!outcome?.ok) return outcome ? settle(p, outcome, from, 'update') : handOff(p);
    p.wroteSource = true;
    const own = p.item.plan[from];
    if (own && (Object.keys(own.fields).length > 0 || own.links.companyId !== undefined)) finals.push({ ...p, item: { ...p.item, source: { ...p.item.source, version: outcome.version } } });
  });

  // 4. the final merge base where the source took merged values
  const merged = finals.length > 0 ? await backfillStore.backfillSavePairs(finals.map((p) => pairSave(from, p, p.item.plan.merged, p.revision))) : [];
  finals.forEach((p, k) => {
    if (!merged[k]?.ok) handOff(p);
  });

  for (const p of open(all)) {
    const verdict: Verdict = p.counterpartWrite?.created ? 'created' : p.item.pair === null ? 'linked' : p.counterpartWrite || p.wroteSource ? 'updated' : 'skipped';
    verdicts.set(p.item.index, verdict);
  }
  return verdicts;
}

function counterpartIdOf(p: Progress): string | null {
  return p.counterpartWrite?.id ?? p.item.counterpart?.ref.id ?? null;
}

function createInput(plan: PlannedWrite | null, source: RecordSnapshot) {
  return { fields: plan?.fields ?? {}, links: { ...plan?.links, counterpartId: source.ref.id } };
}

/** `readAs` is the record as the plan saw it: its values of the fields about to be written are checked before writing. */
function updateInput(plan: PlannedWrite | null, readAs: RecordSnapshot | null): BackfillUpdateInput {
  const fields = plan?.fields ?? {};
  const expected: FieldValues = {};
  for (const field of Object.keys(fields)) expected[field] = readAs?.fields[field] ?? null;
  return { id: plan?.id ?? readAs?.ref.id ?? '', fields, links: plan?.links ?? {}, expected };
}

function pairSave(from: CrmSystem, p: Progress, base: FieldValues, expectedRevision: number | null): PairSave {
  const { source, counterpart } = p.item;
  const target = otherSystem(from);
  const ids = { [from]: source.ref.id, [target]: counterpartIdOf(p) } as Record<CrmSystem, string | null>;
  const versions = { [from]: source.version, [target]: p.counterpartWrite?.version ?? counterpart?.version ?? null } as Record<CrmSystem, string | null>;
  return {
    pair: { object: source.ref.object, hubspotId: ids.hubspot, zohoId: ids.zoho, base, hubspotVersion: versions.hubspot, zohoVersion: versions.zoho },
    expectedRevision,
  };
}
