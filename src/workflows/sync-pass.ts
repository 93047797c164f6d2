import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CrmActivities } from '../activities/crm-activities';
import type { StoreActivities } from '../activities/store-activities';
import { companyIndex, companyKeysOf, companyRecordOf } from '../domain/companies';
import { joinedEntity, likelyDuplicateOf, othersOf } from '../domain/duplicates';
import { inSyncWithLink } from '../domain/echo';
import type { Entity } from '../domain/entity';
import { entityAfter, originAfter, relinked, type WriteOutcomes } from '../domain/entity-save';
import { hubSystem, systemsHolding, type HubSettings } from '../domain/hub';
import { deleteActionFor, matchKeysOf } from '../domain/mapping';
import { planPass, type PlanInput, type PlannedWrite } from '../domain/plan';
import type { RecordRef, RecordSnapshot, SystemName, WriteResult } from '../domain/records';
import { LIVE_PRIORITY, taskQueueFor } from './messages';

export type PassOutcome = 'in-sync' | 'synced' | 'created' | 'skipped' | 'unlinked' | 'archived' | 'absent';

/** System calls: retried with backoff forever (nothing accepted is lost); permanent errors come back non-retryable. */
const crmRetry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const proxies = new Map<SystemName, CrmActivities>();
/** Live sync comes first: a backfill's calls (priorityKey 5) share these queues and their rate limit, and wait. */
function crm(system: SystemName): CrmActivities {
  let proxy = proxies.get(system);
  if (!proxy) {
    proxy = proxyActivities<CrmActivities>({ taskQueue: taskQueueFor(system), startToCloseTimeout: '30s', retry: crmRetry, priority: { priorityKey: LIVE_PRIORITY } });
    proxies.set(system, proxy);
  }
  return proxy;
}
const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });

/**
 * One pass over a record: read it as it is now, find its records in every other system that holds the entity,
 * merge against what each link last synced, and write only what differs. Never trusts an event's payload, so
 * duplicate or reordered events cannot regress data.
 */
export async function syncRecordPass(settings: HubSettings, ref: RecordRef, forceCreate: SystemName[] = []): Promise<PassOutcome> {
  const source = await crm(ref.system).readRecord(ref);
  // Records merged into the source are looked up with it; only a read that names some (HubSpot's
  // hs_merged_object_ids, which histories from before merges were followed never hold) adds commands.
  const mergedRefs = (source?.mergedIds ?? []).map((id) => ({ ...ref, id }));
  const first = await store.lookup([ref, ...mergedRefs], source ? companyKeysOf([source]).map((c) => ({ ...c, object: 'company' as const })) : []);
  let entity = first.entities[0] ?? null;
  if (!source) return removeRecord(settings, ref, entity);
  const merge = await followMerges(ref, mergedRefs, entity, first.entities.slice(1));
  entity = merge.entity;
  // An adopted entity's other records still name the merged record: the full pass rewrites their cross-references.
  if (entity && !merge.adopted && inSyncWithLink(settings.rules, entity, source, companyIndex(first.companies))) return 'in-sync';

  let records = await findRecords(settings, source, entity);
  let found = await lookupFound(source, records);
  const joined = joinedEntity(source, othersOf(source, records), entity, found.entities);
  if ('duplicate' in joined) refuseLikelyDuplicate(joined.duplicate);
  else if (joined.entity && joined.entity.id !== entity?.id) {
    // the source joins an entity that may already have records elsewhere: find them through its links
    entity = joined.entity;
    records = await findRecords(settings, source, entity);
    found = await lookupFound(source, records);
  }
  for (let companiesSynced = 0; ; companiesSynced++) {
    const input: PlanInput = { settings, object: ref.object, origin: ref.system, entity, records, companies: companyIndex(found.companies), forceCreate };
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
      case 'needs-company': {
        // The contact's company is synced into that system first, so the association can follow.
        const company = companyRecordOf(plan.company, input.companies);
        if (!company || companiesSynced >= systemsHolding(settings, 'company').length) {
          throw ApplicationFailure.nonRetryable(`company ${plan.company} could not be linked in ${plan.target}`, 'CompanyNotLinked', {
            category: 'link',
            fields: [{ field: 'company', reason: `the associated company has no record in ${plan.target}` }],
            operation: 'link',
          });
        }
        await syncRecordPass(settings, { system: company.system, object: 'company', id: company.id }, [plan.target]);
        found = await lookupFound(source, records);
        continue;
      }
      case 'write':
        return applyPlan(settings, input, plan, source);
    }
  }
}

/**
 * Targets are written and the entity saved before the origin, so that a record created there can be linked back
 * from the origin, and an origin deleted meanwhile still finds the link (and archives what was just created).
 */
async function applyPlan(settings: HubSettings, input: PlanInput, plan: Extract<ReturnType<typeof planPass>, { action: 'write' }>, source: RecordSnapshot): Promise<PassOutcome> {
  const outcomes: WriteOutcomes = {};
  const refusals: unknown[] = [];
  await Promise.all(
    plan.targets.map(async (write) => {
      try {
        outcomes[write.system] = await writeRecord(input, write);
      } catch (error) {
        // the others' writes are still saved below: a refusal in one system never looks like an edit made there
        outcomes[write.system] = null;
        refusals.push(error);
      }
    }),
  );
  if (refusals.length === plan.targets.length && refusals.length > 0) throw refusals[0];
  const saved = await store.saveEntity(entityAfter(input, plan, plan.targets, outcomes, input.entity?.revision ?? null));
  if (refusals.length > 0) throw refusals[0];

  const originWrite = originAfter(settings.rules, plan, source, outcomes);
  if (originWrite) {
    outcomes[source.ref.system] = await writeRecord(input, originWrite);
    if (plan.origin) await store.saveEntity(entityAfter(input, plan, [...plan.targets, originWrite], outcomes, saved.revision));
  }
  return plan.targets.some((write) => outcomes[write.system]?.created) ? 'created' : 'synced';
}

async function writeRecord(input: PlanInput, write: PlannedWrite): Promise<WriteResult> {
  if (write.operation === 'create') return crm(write.system).createRecord(input.object, write.fields, write.links);
  if (!write.id) throw ApplicationFailure.nonRetryable('update without a record id', 'PlanError');
  return crm(write.system).updateRecord(input.object, write.id, write.fields, write.links, write.expected);
}

/** One store call for the entities of the records found elsewhere and of every company the contacts point at. */
async function lookupFound(source: RecordSnapshot, records: Record<SystemName, RecordSnapshot | null>): Promise<{ entities: (Entity | null)[]; companies: Entity[] }> {
  const others = othersOf(source, records);
  const companies = companyKeysOf(Object.values(records)).map((c) => ({ ...c, object: 'company' as const }));
  return store.lookup(others.map((record) => record.ref), companies);
}

/**
 * The entity's record in every other system that holds it: by its link, then by the cross-reference the source
 * holds, then by match keys where the system can match.
 */
async function findRecords(settings: HubSettings, source: RecordSnapshot, entity: Entity | null): Promise<Record<SystemName, RecordSnapshot | null>> {
  const records: Record<SystemName, RecordSnapshot | null> = { [source.ref.system]: source };
  const { object } = source.ref;
  await Promise.all(
    systemsHolding(settings, object)
      .filter((system) => system !== source.ref.system)
      .map(async (system) => {
        const knownId = entity?.links[system]?.recordId ?? source.crossRefs?.[system];
        const linked = knownId ? await crm(system).readRecord({ system, object, id: knownId }) : null;
        const canMatch = hubSystem(settings, system)?.canMatch ?? false;
        const match = !linked && canMatch ? await crm(system).findMatch(object, matchKeysOf(object, source.fields)) : null;
        if (match) refuseLikelyDuplicate(likelyDuplicateOf(source, match, null));
        records[system] = linked ?? match;
      }),
  );
  return records;
}

/** Clears `record`'s cross-reference to `system`; a record that is gone as well has nothing left to clear. */
async function clearCrossRef(record: RecordRef, system: SystemName): Promise<void> {
  try {
    await crm(record.system).updateRecord(record.object, record.id, {}, { crossRefs: { [system]: null } });
  } catch (error) {
    const gone = error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'NotFoundError';
    if (!gone) throw error;
  }
}

function refuseLikelyDuplicate(reason: string | null): void {
  if (!reason) return;
  throw ApplicationFailure.nonRetryable(`likely duplicate: ${reason}`, 'LikelyDuplicate', {
    category: 'duplicate',
    fields: [{ field: 'record', reason }],
    operation: 'link',
  });
}

/**
 * A record that absorbed others in a merge follows them: without an entity of its own it takes the place of the first
 * merged record that was linked (the entity's other records become its counterparts); any other merged record's link
 * is removed like a deleted record's, so no link is left naming a record that is gone. Returns the source's entity.
 */
async function followMerges(
  source: RecordRef,
  mergedRefs: RecordRef[],
  entity: Entity | null,
  mergedEntities: (Entity | null)[],
): Promise<{ entity: Entity | null; adopted: boolean }> {
  let survivor = entity;
  let adopted = false;
  for (const [index, merged] of mergedRefs.entries()) {
    const absorbed = mergedEntities[index];
    if (!absorbed || absorbed.links[merged.system]?.recordId !== merged.id) continue;
    if (survivor) {
      await unlinkRecord(merged, absorbed);
    } else {
      survivor = await store.saveEntity(relinked(absorbed, source.system, source.id));
      adopted = true;
    }
  }
  return { entity: survivor, adopted };
}

/**
 * Passes started by workflow code older than this clear no cross-reference on unlink: a history recorded before it
 * replays without the writes.
 */
const CLEAR_CROSS_REFS_ON_UNLINK = 'clear-cross-refs-on-unlink';

/**
 * The source is gone: unlink it, and archive the entity's other records where the rules say so. Records that stay
 * get the deleted record's id cleared from their cross-reference fields, which would otherwise name nothing (and,
 * followed by a later pass, look like a record to find again).
 */
async function removeRecord(settings: HubSettings, ref: RecordRef, entity: Entity | null): Promise<PassOutcome> {
  if (!entity) return 'absent';
  const policy = deleteActionFor(settings.rules, ref.system);
  const others = Object.entries(entity.links).filter(([system]) => system !== ref.system);
  const archives = policy === 'archive-counterpart' || policy === 'delete-counterpart';
  if (!archives) {
    await unlinkRecord(ref, entity);
    return 'unlinked';
  }
  await Promise.all(others.map(([system, link]) => crm(system).archiveRecord(ref.object, link.recordId)));
  for (const [system, link] of others) await store.unlink({ system, object: ref.object, id: link.recordId });
  await store.unlink(ref);
  return 'archived';
}

/** Removes `ref`'s link from its entity and clears its id from the entity's other records' cross-references. */
async function unlinkRecord(ref: RecordRef, entity: Entity): Promise<void> {
  if (patched(CLEAR_CROSS_REFS_ON_UNLINK)) {
    const others = Object.entries(entity.links).filter(([system]) => system !== ref.system);
    await Promise.all(others.map(([system, link]) => clearCrossRef({ system, object: ref.object, id: link.recordId }, ref.system)));
  }
  await store.unlink(ref);
}
