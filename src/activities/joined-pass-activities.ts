import { ApplicationFailure } from '@temporalio/common';
import type { Entity } from '../domain/entity';
import { entityAfter } from '../domain/entity-save';
import { findRecordsBy, foundLookupOf, sourceLookupOf, type RecordFind } from '../domain/pass-reads';
import type { PlanInput, WritePlan } from '../domain/plan';
import type { HubSettings } from '../domain/hub';
import type { OwnWrite } from '../domain/own-writes';
import type { CrmObject, FieldValues, RecordLinks, RecordRef, RecordSnapshot, SystemName, WriteResult } from '../domain/records';
import { FAILURE_TYPES } from './activity-failure';
import type { CrmActivities } from './crm-activities';
import type { Lookup, StoreActivities } from './store-activities';

export interface SourceRead {
  source: RecordSnapshot | null;
  lookup: Lookup;
}

export interface FoundRecords {
  /** the source and, per other system, its record found by ref or match (null: none) */
  records: Record<SystemName, RecordSnapshot | null>;
  /** the systems whose record was found by match keys, not by a link or cross-reference */
  matched: SystemName[];
  lookup: Lookup;
}

/**
 * A live pass's calls that always follow each other, joined into one local activity each instead of two: every local
 * activity is a marker in history and a round trip between the workflow and the worker. A read is followed by the
 * store lookup of what it found (what to look up is decided by src/domain/pass-reads.ts, as in the unjoined calls); a
 * write is preceded by recording it as the hub's own (retried with it: recording is idempotent, and must come first, so
 * that its echo is never taken for a person's edit). The CRM calls are the worker's own instances, so they still gather
 * with other passes' calls into batch calls.
 */
export function createJoinedPassActivities(crm: ReadonlyMap<SystemName, CrmActivities>, store: StoreActivities) {
  const crmOf = (system: SystemName): CrmActivities => {
    const activities = crm.get(system);
    if (!activities) throw new Error(`no connector registered for ${system}`);
    return activities;
  };
  const readWithLookup = async (ref: RecordRef): Promise<SourceRead> => {
    const source = await crmOf(ref.system).readRecord(ref);
    const request = sourceLookupOf(ref, source);
    return { source, lookup: await store.lookup(request.refs, request.companyRefs) };
  };
  const updateRecordingOwnWrites = async (own: OwnWrite[], system: SystemName, object: CrmObject, id: string, fields: FieldValues, links: RecordLinks, expected?: FieldValues): Promise<WriteResult> => {
    await store.recordOwnWrites(own);
    try {
      return await crmOf(system).updateRecord(object, id, fields, links, expected);
    } catch (error) {
      // Refused by its check, it never landed; left recorded it would hide our earlier write the record still holds,
      // which the redo would then take for a person's edit newer than the one it went over (withdrawOwnWrites).
      if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.staleRead) await store.withdrawOwnWrites(own.filter(({ ref }) => ref.system === system && ref.object === object && ref.id === id));
      throw error;
    }
  };
  return {
    readWithLookup,
    /** A run's first pass: the hub settings, which a run asks once, come with its first read. */
    async settingsWithRead(ref: RecordRef): Promise<SourceRead & { settings: HubSettings }> {
      const [settings, read] = await Promise.all([store.hubSettings(), readWithLookup(ref)]);
      return { ...read, settings };
    },
    /** `presumed`: records the pass plans from their links instead of reading (src/domain/presumed-records.ts), looked up with those found. */
    async findWithLookup(source: RecordSnapshot, finds: RecordFind[], presumed: RecordSnapshot[]): Promise<FoundRecords> {
      const found = await findRecordsBy(source, finds, {
        read: (ref) => crmOf(ref.system).readRecord(ref),
        match: (system, object, keys) => crmOf(system).findMatch(object, keys),
      });
      for (const record of presumed) found.records[record.ref.system] = record;
      const request = foundLookupOf(source, found.records);
      return { ...found, lookup: await store.lookup(request.refs, request.companyRefs) };
    },
    async createRecordingOwnWrites(own: OwnWrite[], system: SystemName, object: CrmObject, fields: FieldValues, links: RecordLinks): Promise<WriteResult> {
      await store.recordOwnWrites(own);
      return crmOf(system).createRecord(object, fields, links);
    },
    updateRecordingOwnWrites,
    /**
     * A pass's one target, an update, and the entity's save that follows it. Retried after the update went out (the
     * save failed), a checked update finds the record no longer as read and the pass is redone from fresh reads, as
     * after a crash between the two calls; the recorded own writes keep the redo from taking the update for an edit.
     */
    async updateThenSave(own: OwnWrite[], input: PlanInput, plan: WritePlan, expectedRevision: number | null): Promise<{ result: WriteResult; saved: Entity }> {
      const [write] = plan.targets;
      if (plan.targets.length !== 1 || write?.operation !== 'update' || !write.id) throw ApplicationFailure.nonRetryable('updateThenSave takes one update', 'PlanError');
      const result = await updateRecordingOwnWrites(own, write.system, input.object, write.id, write.fields, write.links, write.expected);
      return { result, saved: await store.saveEntity(entityAfter(input, plan, plan.targets, { [write.system]: result }, expectedRevision)) };
    },
  };
}

export type JoinedPassActivities = ReturnType<typeof createJoinedPassActivities>;
