import { ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CrmActivities } from '../activities/crm-activities';
import type { PlannedWrite } from '../activities/plan-sync';
import type { StoreActivities } from '../activities/store-activities';
import { matchKeysOf } from '../domain';
import { otherSystem, type CrmSystem, type FieldValues, type RecordRef, type RecordSnapshot, type WriteResult } from '../domain/records';
import type { LinkedPair } from '../store/types';
import { LIVE_PRIORITY, TASK_QUEUES } from './messages';

export type DeletePolicy = { zoho: 'archive-counterpart' | 'unlink'; hubspot: 'unlink' | 'delete-counterpart' };

export type PassOutcome = 'in-sync' | 'synced' | 'created' | 'skipped' | 'unlinked' | 'archived' | 'absent';

/** CRM calls: retried with backoff forever (nothing accepted is lost); permanent errors come back non-retryable. */
const crmRetry = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
/** Live sync comes first: a backfill's calls (priorityKey 5) share these queues and their rate limit, and wait. */
const crmPriority = { priorityKey: LIVE_PRIORITY };
const crm: Record<CrmSystem, CrmActivities> = {
  hubspot: proxyActivities<CrmActivities>({ taskQueue: TASK_QUEUES.hubspot, startToCloseTimeout: '30s', retry: crmRetry, priority: crmPriority }),
  zoho: proxyActivities<CrmActivities>({ taskQueue: TASK_QUEUES.zoho, startToCloseTimeout: '30s', retry: crmRetry, priority: crmPriority }),
};
const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });

/**
 * One pass over a record: read it as it is now, find its counterpart, merge against the last synced values and write
 * only what differs. Never trusts an event's payload, so duplicate or reordered events cannot regress data.
 */
export async function syncRecordPass(ref: RecordRef, deletes: DeletePolicy, forceHubspotCreate = false): Promise<PassOutcome> {
  const source = await crm[ref.system].readRecord(ref);
  const { pair, inSync } = await store.lookupPair(ref, source);
  if (!source) return removeCounterpart(ref, pair, deletes);
  if (inSync) return 'in-sync';

  const counterpart = await findCounterpart(source, pair);
  // The contact's company is linked (or created) first, but only when the contact itself will reach the other side.
  const reachesOtherSide = counterpart !== null || ref.system === 'hubspot' || source.hot === true || forceHubspotCreate;
  if (source.ref.object === 'contact' && source.companyId && reachesOtherSide) {
    await ensureCompanyLinked({ system: ref.system, object: 'company', id: source.companyId }, deletes, ref.system === 'zoho');
  }
  const sides = ref.system === 'hubspot' ? { hubspot: source, zoho: counterpart } : { hubspot: counterpart, zoho: source };
  let plan = await store.planSync({ object: ref.object, origin: ref.system, ...sides, pair, forceHubspotCreate });
  if (plan.action === 'needs-company') {
    await ensureCompanyLinked({ system: 'zoho', object: 'company', id: plan.zohoCompanyId }, deletes, true);
    plan = await store.planSync({ object: ref.object, origin: ref.system, ...sides, pair, forceHubspotCreate });
  }
  switch (plan.action) {
    case 'skip':
      return 'skipped';
    case 'needs-company':
      throw ApplicationFailure.nonRetryable(`company ${plan.zohoCompanyId} could not be linked`, 'CompanyNotLinked', {
        category: 'link',
        fields: [{ field: 'company', reason: 'the associated company has no counterpart' }],
        operation: 'link',
      });
    case 'invalid':
      throw ApplicationFailure.nonRetryable(`invalid ${plan.target} ${ref.object} for ${plan.operation}`, 'ValidationError', {
        category: 'validation',
        fields: plan.problems,
        target: plan.target,
        operation: plan.operation,
      });
  }

  // The counterpart is written and the link saved first, so that a record created there can be linked back from
  // the source, and a source deleted meanwhile still finds the link (and archives what was just created).
  const other = otherSystem(ref.system);
  const counterpartWrite = await write(other, ref, plan[other], source.ref.id, counterpart);
  const counterpartId = counterpartWrite?.id ?? counterpart?.ref.id ?? null;
  const ids = { [ref.system]: ref.id, [other]: counterpartId } as Record<CrmSystem, string | null>;
  const versions = { [ref.system]: source.version, [other]: counterpartWrite?.version ?? counterpart?.version ?? null } as Record<CrmSystem, string | null>;
  const savePair = (base: FieldValues, revision: number | null) =>
    store.savePair({ object: ref.object, hubspotId: ids.hubspot, zohoId: ids.zoho, base, hubspotVersion: versions.hubspot, zohoVersion: versions.zoho }, revision);
  const saved = await savePair(plan.interimBase, pair?.revision ?? null);

  const sourcePlan = plan[ref.system];
  const sourceWrite = await write(ref.system, ref, withCounterpart(sourcePlan, source, counterpartId), counterpartId, source);
  if (sourceWrite && sourcePlan && (Object.keys(sourcePlan.fields).length > 0 || sourcePlan.links.companyId !== undefined)) {
    versions[ref.system] = sourceWrite.version;
    await savePair(plan.merged, saved.revision);
  }
  return counterpartWrite?.created ? 'created' : 'synced';
}

async function findCounterpart(source: RecordSnapshot, pair: LinkedPair | null): Promise<RecordSnapshot | null> {
  const system = otherSystem(source.ref.system);
  const knownId = (system === 'hubspot' ? pair?.hubspotId : pair?.zohoId) ?? source.counterpartId;
  if (knownId) {
    const linked = await crm[system].readRecord({ system, object: source.ref.object, id: knownId });
    if (linked) return linked;
  }
  const match = await crm[system].findMatch(source.ref.object, matchKeysOf(source.ref.object, source.fields));
  if (match) await refuseIfLinkedElsewhere(source, match);
  return match;
}

/**
 * A record found by its match keys that is already linked to another record (two Zoho accounts named "Contoso Group"
 * matching one HubSpot company) is a likely duplicate: linking it would collide with the existing link on every pass.
 * A person decides (merge the records, or tell them apart); the backfill reports such records the same way.
 */
async function refuseIfLinkedElsewhere(source: RecordSnapshot, match: RecordSnapshot): Promise<void> {
  const { pair } = await store.lookupPair(match.ref, null);
  const linkedTo = (source.ref.system === 'hubspot' ? pair?.hubspotId : pair?.zohoId) ?? match.counterpartId;
  if (!linkedTo || linkedTo === source.ref.id) return;
  const reason = `matches ${match.ref.system} ${match.ref.object} ${match.ref.id}, already linked to ${source.ref.system} ${source.ref.object} ${linkedTo}`;
  throw ApplicationFailure.nonRetryable(`likely duplicate: ${reason}`, 'LikelyDuplicate', {
    category: 'duplicate',
    fields: [{ field: 'record', reason }],
    operation: 'link',
  });
}

/** A company referenced by a contact is linked (or created) before the contact, so the association can follow. */
async function ensureCompanyLinked(ref: RecordRef, deletes: DeletePolicy, forceHubspotCreate = false): Promise<void> {
  const { pair } = await store.lookupPair(ref, null);
  if (pair && (ref.system === 'zoho' ? pair.hubspotId : pair.zohoId)) return;
  await syncRecordPass(ref, deletes, forceHubspotCreate);
}

/** The source record also learns its counterpart's id (the cross-reference property), in the same write. */
export function withCounterpart(plan: PlannedWrite | null, source: RecordSnapshot, counterpartId: string | null): PlannedWrite | null {
  if (!counterpartId || source.counterpartId === counterpartId) return plan;
  const base: PlannedWrite = plan ?? { operation: 'update', id: source.ref.id, fields: {}, links: {} };
  return { ...base, links: { ...base.links, counterpartId } };
}

/** `readAs` is the record as this pass read it: an update is refused if those fields changed since. */
async function write(system: CrmSystem, origin: RecordRef, plan: PlannedWrite | null, counterpartId: string | null, readAs: RecordSnapshot | null): Promise<WriteResult | null> {
  if (!plan) return null;
  if (plan.operation === 'create') {
    return crm[system].createRecord(origin.object, plan.fields, { ...plan.links, counterpartId: counterpartId ?? origin.id });
  }
  if (!plan.id) throw ApplicationFailure.nonRetryable('update without a record id', 'PlanError');
  const expected: FieldValues = {};
  for (const field of Object.keys(plan.fields)) expected[field] = readAs?.fields[field] ?? null;
  return crm[system].updateRecord(origin.object, plan.id, plan.fields, plan.links, expected);
}

async function removeCounterpart(ref: RecordRef, pair: LinkedPair | null, deletes: DeletePolicy): Promise<PassOutcome> {
  if (!pair) return 'absent';
  const other = otherSystem(ref.system);
  const otherId = other === 'hubspot' ? pair.hubspotId : pair.zohoId;
  const policy = ref.system === 'zoho' ? deletes.zoho : deletes.hubspot;
  const removesCounterpart = policy === 'archive-counterpart' || policy === 'delete-counterpart';
  if (removesCounterpart && otherId) await crm[other].archiveRecord(ref.object, otherId);
  await store.deletePair(ref);
  return removesCounterpart ? 'archived' : 'unlinked';
}
