import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { joinedEntity, othersOf } from '../domain/duplicates';
import { inSyncWithLink, lacksCrossRefs } from '../domain/echo';
import type { Entity } from '../domain/entity';
import { crossRefFollowUps, entityAfter, originAfter, type WriteOutcomes } from '../domain/entity-save';
import type { HubSettings } from '../domain/hub';
import type { Lane } from '../domain/lane';
import { ownWritesOf } from '../domain/own-writes';
import { planPass, type PlanInput } from '../domain/plan';
import { checkedAgainstLinks, presumedRecords } from '../domain/presumed-records';
import { REFERENCES, type FieldValues, type RecordRef, type RecordSnapshot, type SystemName } from '../domain/records';
import { mergedRefsOf, sourceLookupOf } from '../domain/pass-reads';
import { referencedRecordOf, referenceIndex } from '../domain/references';
import type { SourceRead } from '../activities/joined-pass-activities';
import { crm, joinedCalls, store } from './pass-activities';
import { followMerges, removeRecord } from './pass-unlink';
import { createdByPass, KEEP_CREATED_ON_STALE_SAVE, saveKeepingCreated } from './created-records';
import { failureTypeOf } from './failure-cause';
import { findWithLookup, joinsOwnWrites, lookupFound, refuseLikelyDuplicate, replacedByUnsavedWrites, withdrawnIfRefused, withoutReference, writeRecord, writeRecordingOwn } from './pass-records';
import { isPatched } from './patches';

/** Passes started by workflow code older than this never refill a field a refused write left empty (MergeInput.emptyIsHeld). */
export const EMPTY_IS_HELD = 'empty-field-is-held';
/** Passes started by workflow code older than this neither record their writes nor tell them from a person's (MergeSide.written). */
export const OWN_WRITES = 'own-writes-are-not-edits';
/** Passes started by workflow code older than this never ask what an unsaved write of ours went over (MergeSide.replaced). */
const OWN_WRITES_LOOKED_BACK = 'unsaved-own-writes-looked-back';

export type PassOutcome = 'in-sync' | 'synced' | 'created' | 'skipped' | 'unlinked' | 'archived' | 'absent';

/**
 * One pass over a record: read it as it is now, find its records in every other system that holds the entity,
 * merge against what each link last synced, and write only what differs. Never trusts an event's payload, so
 * duplicate or reordered events cannot regress data. `lane` says which queues its calls and commands take (an initial
 * load's hand-over: the load lane, after live sync's, for this pass and the passes it runs for what the record points at).
 * `read`: the record and its lookup, already read for this pass (with the run's hub settings).
 */
export async function syncRecordPass(settings: HubSettings, ref: RecordRef, forceCreate: SystemName[] = [], lane: Lane = 'live', read?: SourceRead, firstAttempt = false): Promise<PassOutcome> {
  const { source, lookup: first } = read ?? (await readSource(ref, lane));
  // Records merged into the source are looked up with it; only a read that names some (HubSpot's
  // hs_merged_object_ids, which histories from before merges were followed never hold) adds commands.
  const mergedRefs = mergedRefsOf(ref, source);
  let entity = first.entities[0] ?? null;
  if (!source) return removeRecord(settings, ref, entity);
  const merge = await followMerges(settings, ref, mergedRefs, entity, first.entities.slice(1));
  entity = merge.entity;
  // An adopted entity's other records still name the merged record: the full pass rewrites their cross-references.
  // A record asked for elsewhere (a company a contact there needs) goes on even when nothing changed since its last sync.
  const wanted = forceCreate.length > 0 && isPatched('force-create-past-in-sync');
  if (entity && !merge.adopted && !wanted && inSyncWithLink(settings.rules, entity, source, referenceIndex(first.companies))) {
    // a record missing the ids of its linked records gets them written (checked only then, so older histories replay)
    if (!lacksCrossRefs(settings.rules, entity, source) || !isPatched('complete-cross-refs')) return 'in-sync';
  }

  // A first attempt plans from the links of the records it would read only to compare; a redo reads them all.
  const plain = firstAttempt && !merge.adopted && mergedRefs.length === 0 && forceCreate.length === 0 && joinedCalls(lane) !== null;
  let presumed = entity && plain && isPatched(LINKS_STAND_FOR_READS) ? presumedRecords(settings, source, entity, referenceIndex(first.companies)) : [];
  let { records, found } = await findWithLookup(settings, source, entity, lane, presumed);
  const joined = joinedEntity(source, othersOf(source, records), entity, found.entities);
  if ('duplicate' in joined) refuseLikelyDuplicate(joined.duplicate);
  else if (joined.entity && joined.entity.id !== entity?.id) {
    // the source joins an entity that may already have records elsewhere: find them through its links
    entity = joined.entity;
    presumed = [];
    ({ records, found } = await findWithLookup(settings, source, entity, lane));
  }
  // the last value the hub wrote to each record's fields, the source's from its own lookup
  const writtenNow = (): Record<SystemName, FieldValues | null> => ({ ...found.written, [ref.system]: first.written?.[0] ?? null });
  const replaced = isPatched(OWN_WRITES_LOOKED_BACK) ? await replacedByUnsavedWrites(ref.object, entity, records, writtenNow(), lane) : undefined;
  for (let referencesSynced = 0; ; referencesSynced++) {
    const written = isPatched(OWN_WRITES) ? writtenNow() : undefined;
    const input: PlanInput = {
      settings,
      object: ref.object,
      origin: ref.system,
      entity,
      records,
      references: referenceIndex(found.companies),
      forceCreate,
      emptyIsHeld: isPatched(EMPTY_IS_HELD),
      written,
      ...(replaced ? { replaced } : {}),
    };
    const plan = planPass(input);
    switch (plan.action) {
      case 'skip':
        return 'skipped';
      case 'stale':
        throw ApplicationFailure.retryable(`${plan.system} ${ref.object} was read before its last synced version`, 'StaleReadError');
      case 'invalid':
        throw ApplicationFailure.nonRetryable(`invalid ${plan.target} ${ref.object} for ${plan.operation}`, 'ValidationError', {
          category: 'validation',
          fields: plan.problems,
          target: plan.target,
          operation: plan.operation,
        });
      case 'needs-reference': {
        // What the record points at (a contact's company) is synced into that system first, so the association can follow.
        const referenced = referencedRecordOf(plan.value, input.references);
        if (!referenced || referencesSynced >= REFERENCES[ref.object].length * settings.systems.length) {
          throw ApplicationFailure.nonRetryable(`${plan.object} ${plan.value} could not be linked in ${plan.target}`, plan.object === 'company' ? 'CompanyNotLinked' : 'ReferenceNotLinked', {
            category: 'link',
            fields: [{ field: plan.object, reason: `the associated ${plan.object} has no record in ${plan.target}` }],
            operation: 'link',
          });
        }
        const outcome = await referencedPass(settings, { system: referenced.system, object: plan.object, id: referenced.id }, plan.target, lane);
        if (GONE.has(outcome) && isPatched('gone-reference-left-as-is')) {
          // it no longer exists (a purchase's buyer deleted in the shop): the association stays as each system has it
          records = withoutReference(records, ref.object, plan.object, plan.value, input.references);
        }
        found = await lookupFound(source, records);
        continue;
      }
      case 'write':
        return applyPlan(settings, input, presumed.length > 0 ? checkedAgainstLinks(plan, presumed) : plan, source, lane);
    }
  }
}

/** The record as it is now, and what the store holds of it, the records merged into it and what it points at. */
async function readSource(ref: RecordRef, lane: Lane): Promise<SourceRead> {
  const joined = joinedCalls(lane);
  if (joined) return joined.readWithLookup(ref);
  const source = await crm(ref.system, lane).readRecord(ref);
  const request = sourceLookupOf(ref, source);
  return { source, lookup: await store.lookup(request.refs, request.companyRefs) };
}

/**
 * Targets are written and the entity saved before the origin, so that a record created there can be linked back
 * from the origin, and an origin deleted meanwhile still finds the link (and archives what was just created).
 */
async function applyPlan(settings: HubSettings, input: PlanInput, plan: Extract<ReturnType<typeof planPass>, { action: 'write' }>, source: RecordSnapshot, lane: Lane): Promise<PassOutcome> {
  const outcomes: WriteOutcomes = {};
  const refusals: unknown[] = [];
  // Kept before anything is sent: however this pass ends, what it wrote is never taken for a person's edit later. The
  // origin's are kept with its own write, which may never be sent: kept here they would stand for the last value we
  // wrote there, over an earlier write of ours that did land unsaved (unsavedWritesStanding).
  const originLater = isPatched(OWN_WRITES_LOOKED_BACK);
  const own = ownWritesOf(input.object, originLater ? plan.targets : [...plan.targets, plan.origin]);
  const recordOwn = own.length > 0 && input.written !== undefined;
  const joinOwn = recordOwn && joinsOwnWrites(input, plan.targets, lane);
  const [only] = plan.targets;
  const revision = input.entity?.revision ?? null;
  let saved: Entity;
  const joined = joinedCalls(lane);
  if (joinOwn && joined && only?.operation === 'update' && isPatched(UPDATE_JOINS_SAVE)) {
    // the common live pass, one update, sends it and saves in one local activity
    const done = await joined.updateThenSave(own, input, plan, revision);
    outcomes[only.system] = done.result;
    saved = done.saved;
  } else {
    if (recordOwn && !joinOwn) await store.recordOwnWrites(own);
    await Promise.all(
      plan.targets.map(async (write) => {
        try {
          outcomes[write.system] = createdByPass(write, await writeRecord(input, write, lane, joinOwn ? own : undefined));
        } catch (error) {
          // the others' writes are still saved below: a refusal in one system never looks like an edit made there
          outcomes[write.system] = null;
          refusals.push(error);
          if (recordOwn && !joinOwn) await withdrawnIfRefused(input.object, write, error);
        }
      }),
    );
    if (refusals.length === plan.targets.length && refusals.length > 0) throw refusals[0];
    const created = plan.targets.filter((write) => outcomes[write.system]?.created).map((write) => write.system);
    saved = await saveKeepingCreated(entityAfter(input, plan, plan.targets, outcomes, revision), created);
    if (refusals.length > 0) throw refusals[0];
  }
  const followUps = crossRefFollowUps(input, plan, outcomes);
  if (followUps.length > 0 && isPatched(CROSS_REFS_TO_EVERY_TARGET)) await Promise.all(followUps.map((write) => writeRecord(input, write, lane)));

  const originWrite = originAfter(settings.rules, plan, source, outcomes);
  if (originWrite) {
    outcomes[source.ref.system] = originLater && input.written !== undefined ? await writeRecordingOwn(input, originWrite, lane) : await writeRecord(input, originWrite, lane);
    if (plan.origin) await store.saveEntity(entityAfter(input, plan, [...plan.targets, originWrite], outcomes, saved.revision));
  }
  return plan.targets.some((write) => outcomes[write.system]?.created) ? 'created' : 'synced';
}

/** Quick redos of a referenced record's pass that lost its save to that record's own workflow. */
const REFERENCED_REDOS = 3;

/**
 * The pass that syncs a referenced record into `target` first (a deal's new buyer into HubSpot). It races that record's
 * own workflow; when it loses its save it is redone here, from fresh reads, so the buyer's records still get each
 * other's ids (the redo of the deal's pass would find the buyer linked already and never run it again).
 */
async function referencedPass(settings: HubSettings, ref: RecordRef, target: SystemName, lane: Lane): Promise<PassOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await syncRecordPass(settings, ref, [target], lane);
    } catch (error) {
      if (attempt >= REFERENCED_REDOS || failureTypeOf(error) !== 'StaleRevisionError' || !isPatched(KEEP_CREATED_ON_STALE_SAVE)) throw error;
      await sleep(100 * attempt);
    }
  }
}

/** Passes started by workflow code older than this read every other record before planning (presumed-records.ts). */
const LINKS_STAND_FOR_READS = 'links-stand-for-unread-records';

/** Passes started by workflow code older than this update their one target and save the entity in two local activities. */
const UPDATE_JOINS_SAVE = 'update-joins-save';

/** Passes started by workflow code older than this leave a target without the id of a record created beside it. */
const CROSS_REFS_TO_EVERY_TARGET = 'cross-refs-to-every-target';

const GONE: ReadonlySet<PassOutcome> = new Set(['absent', 'unlinked', 'archived']);
