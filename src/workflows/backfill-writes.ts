import type { BackfillUpdateInput, BatchWriteOutcome } from '../activities/backfill-crm-activities';
import type { Verdict } from '../domain/backfill-progress';
import { crossRefFollowUps, entityAfter, originAfter, type WriteOutcomes } from '../domain/entity-save';
import type { PlanInput, PlannedWrite, WritePlan } from '../domain/plan';
import { workflowIdFor, type CrmObject, type RecordSnapshot, type SystemName, type WriteResult } from '../domain/records';
import { hubSystem } from '../domain/hub';
import { ownWritesOf } from '../domain/own-writes';
import { backfillStore, createsFirst, type BatchScope } from './backfill-activities';
import { OWN_WRITES } from './sync-pass';
import { isPatched } from './patches';

/** A record of the page whose plan writes somewhere. */
export interface WriteItem {
  index: number;
  input: PlanInput;
  plan: WritePlan;
  /** no entity linked the source before this page */
  isNew: boolean;
  /** systems where the record was found by match keys */
  matched: SystemName[];
}

interface Progress {
  item: WriteItem;
  outcomes: WriteOutcomes;
  revision: number | null;
  originWrite: PlannedWrite | null;
}

/**
 * The live pass's writes for a batch, in the live pass's order: every target system (batch create = upsert by unique
 * key, or a plain create where the page creates first, see createsFirst; batch update with the lost-update check),
 * the entities saved, the sources (their merged fields and the new records' ids), the final link bases. A record any
 * step cannot settle leaves the batch: refused data goes to the failure report, anything else to its live workflow.
 */
export async function applyWrites(scope: BatchScope, object: CrmObject, items: WriteItem[]): Promise<Map<number, Verdict>> {
  const verdicts = new Map<number, Verdict>();
  const all: Progress[] = items.map((item) => ({ item, outcomes: {}, revision: null, originWrite: null }));
  const open = () => all.filter((p) => !verdicts.has(p.item.index));
  const sourceOf = (p: Progress) => p.item.input.records[scope.from] as RecordSnapshot;
  const settle = (p: Progress, outcome: BatchWriteOutcome | undefined, system: SystemName, operation: 'create' | 'update') => {
    const ref = sourceOf(p).ref;
    if (outcome && !outcome.ok && outcome.reason === 'invalid') {
      verdicts.set(p.item.index, 'failed');
      scope.failures.push({ ref, operation, category: outcome.category, message: `${system}: ${outcome.message}`, fields: outcome.fields, workflowId: workflowIdFor(ref) });
    } else {
      verdicts.set(p.item.index, 'handedToLive');
      scope.handOff.push(ref);
    }
  };

  // 1. every target system, creates and updates as batches, recorded first as a live pass records its writes (a page
  // whose saves turn out stale hands its records to live sync, which must not take these values for a person's)
  const own = ownWritesOf(object, all.flatMap((p) => [...p.item.plan.targets, p.item.plan.origin]));
  if (own.length > 0 && isPatched(OWN_WRITES)) await backfillStore.recordOwnWrites(own);
  const systems = [...new Set(all.flatMap((p) => p.item.plan.targets.map((t) => t.system)))];
  await Promise.all(
    systems.flatMap((system) =>
      (['create', 'update'] as const).map(async (operation) => {
        const group = all.flatMap((p) => p.item.plan.targets.filter((t) => t.system === system && t.operation === operation).map((write) => ({ p, write })));
        if (group.length === 0) return;
        const onlyNew = operation === 'create' && createsFirst(scope, system, object);
        const outcomes =
          operation === 'create'
            ? await scope.crm(system).backfillCreate(object, group.map(({ write }) => ({ fields: write.fields, links: write.links })), onlyNew)
            : await scope.crm(system).backfillUpdate(object, group.map(({ write }) => updateInput(write)));
        group.forEach(({ p, write }, k) => {
          const outcome = outcomes[k];
          p.outcomes[write.system] = outcome?.ok ? written(outcome) : null;
          if (outcome && !outcome.ok && onlyNew && outcome.reason === 'conflict') scope.existedAtCreate += 1;
          if (!outcome?.ok) settle(p, outcome, system, operation);
        });
      }),
    ),
  );

  // 2. entities saved with what each system holds now (a refused write leaves its system's base as it was read)
  const saving = all.filter((p) => p.item.plan.targets.length === 0 || p.item.plan.targets.some((t) => p.outcomes[t.system]));
  const interim = await saveAll(saving.map((p) => entityAfter(p.item.input, p.item.plan, p.item.plan.targets, p.outcomes, p.item.input.entity?.revision ?? null)));
  saving.forEach((p, k) => {
    const saved = interim[k];
    if (saved) p.revision = saved.revision;
    else if (!verdicts.has(p.item.index)) settle(p, undefined, scope.from, 'update');
  });

  // 2b. the other targets learn the ids of the records created beside them (a shop user's new HubSpot and Zoho
  // contacts each other's), as a live pass does; one that cannot is completed by its live workflow
  if (isPatched('backfill-cross-refs-to-every-target')) await crossRefsToEveryTarget(scope, object, open());

  // 3. sources: their own merged fields and the new records' ids
  const byCommand = hubSystem(scope.settings, scope.from)?.writesByCommand === true;
  const sourcing = open().flatMap((p) => {
    p.originWrite = originAfter(scope.settings.rules, p.item.plan, sourceOf(p), p.outcomes);
    // a source written by commands (the shop) gets the new ids from its record's live workflow, which sends and waits
    if (p.originWrite && byCommand) scope.handOff.push(sourceOf(p).ref);
    return p.originWrite && !byCommand ? [p] : [];
  });
  const sourced = sourcing.length > 0 ? await scope.crm(scope.from).backfillUpdate(object, sourcing.map((p) => updateInput(p.originWrite as PlannedWrite))) : [];
  const finals: Progress[] = [];
  sourcing.forEach((p, k) => {
    const outcome = sourced[k];
    if (!outcome?.ok) return settle(p, outcome, scope.from, 'update');
    p.outcomes[scope.from] = written(outcome);
    if (p.item.plan.origin) finals.push(p);
  });

  // 4. the source's link base where it took merged values
  const final = await saveAll(finals.map((p) => entityAfter(p.item.input, p.item.plan, [...p.item.plan.targets, p.originWrite as PlannedWrite], p.outcomes, p.revision)));
  finals.forEach((p, k) => {
    if (!final[k]) settle(p, undefined, scope.from, 'update');
  });

  for (const p of open()) {
    const wrote = Object.values(p.outcomes).some((outcome) => outcome !== null);
    const created = p.item.plan.targets.some((t) => p.outcomes[t.system]?.created);
    verdicts.set(p.item.index, created ? 'created' : p.item.isNew ? 'linked' : wrote ? 'updated' : 'skipped');
  }
  return verdicts;
}

async function crossRefsToEveryTarget(scope: BatchScope, object: CrmObject, items: Progress[]): Promise<void> {
  const followUps = items.flatMap((p) => crossRefFollowUps(p.item.input, p.item.plan, p.outcomes).map((write) => ({ p, write })));
  const systems = [...new Set(followUps.map(({ write }) => write.system))];
  await Promise.all(
    systems.map(async (system) => {
      const group = followUps.filter(({ write }) => write.system === system);
      const outcomes = await scope.crm(system).backfillUpdate(object, group.map(({ write }) => updateInput(write)));
      group.forEach(({ p }, k) => {
        if (!outcomes[k]?.ok) scope.handOff.push((p.item.input.records[scope.from] as RecordSnapshot).ref);
      });
    }),
  );
}

async function saveAll(saves: Parameters<typeof backfillStore.saveEntities>[0]) {
  return saves.length > 0 ? backfillStore.saveEntities(saves) : [];
}

function written(outcome: Extract<BatchWriteOutcome, { ok: true }>): WriteResult {
  return { id: outcome.id, version: outcome.version, modifiedAt: outcome.modifiedAt, created: outcome.created };
}

function updateInput(write: PlannedWrite): BackfillUpdateInput {
  return { id: write.id ?? '', fields: write.fields, links: write.links, expected: write.expected };
}
