import { referenceIndex, type ReferenceIndex } from './references';
import { inSyncWithLink } from './echo';
import type { Entity } from './entity';
import { systemsHolding, type HubSettings } from './hub';
import type { ListFilter } from './listing';
import { planPass } from './plan';
import type { CrmObject, RecordSnapshot, SystemName } from './records';

/** What the Schedule of one system and object starts each reconcile run with (plain JSON). */
export interface ReconcileInput {
  system: SystemName;
  object: CrmObject;
  /** how far back each run looks before its cursor: a search index that lags, clocks that disagree */
  overlapMs: number;
  /** the Schedule's interval: a first run (no cursor stored yet) looks back this far */
  intervalMs: number;
  /** how long before its start a run's window ends (absent in runs from Schedules made before it existed: 0) */
  settleMs?: number;
  /** records per listed page (default 100, the most either CRM lists per request) */
  pageSize?: number;
  /** pages before a run continues as new (default 50, or sooner when Temporal suggests it) */
  maxPagesPerRun?: number;
  /** carried through continue-as-new when one run lists more pages than its history should hold */
  state?: ReconcileState;
}

export interface ReconcileState {
  window: ListFilter;
  pageCursor?: string;
  /** newest modification time seen so far (epoch ms); the cursor this run will store */
  newest: number;
  listed: number;
  caught: number;
  /** out of sync, and left to a running backfill that will list them (absent in state carried from older runs) */
  leftToBackfills?: number;
}

export interface ReconcileResult {
  listed: number;
  caught: number;
  leftToBackfills: number;
  /** the cursor stored for the next run (epoch ms) */
  cursor: number;
}

/** A finished run, as the store keeps it. */
export interface ReconcileRun {
  runId: string;
  system: SystemName;
  object: CrmObject;
  /** records handed to live sync */
  caught: number;
  /** the newest modification time the run saw (epoch ms): the next run's cursor */
  cursor: number;
}

/**
 * The window of one run: from the cursor less the overlap, up to `settleMs` before the run's start. A change made
 * since then most likely has its event on the way or its pass under way (at 50 edits/s a run found half of what it
 * listed not yet in sync and handed 184 records over a second time); the next run looks at it, as at what changes
 * during this one. The cursor is the newest modification time a run saw, never a clock reading, so a record that a
 * lagging search index showed late is still inside the next window, and so is everything after this window's end.
 */
export function reconcileWindow(cursor: number, overlapMs: number, startedAt: number, settleMs = 0): ListFilter {
  return { modifiedAfter: new Date(cursor - overlapMs).toISOString(), modifiedBefore: new Date(startedAt - settleMs).toISOString() };
}

/**
 * The records of a page that must go to their record workflow: not what their link last synced (a change whose event
 * never arrived), or never synced at all (no entity) where the rules would put them somewhere. `entities` and
 * `referenced` (the entities of what they point at) come from one store lookup.
 */
export function recordsOutOfSync(settings: HubSettings, records: readonly RecordSnapshot[], entities: readonly (Entity | null)[], referenced: readonly Entity[]): RecordSnapshot[] {
  const index = referenceIndex(referenced);
  return records.filter((record, i) => {
    const entity = entities[i] ?? null;
    return entity ? !inSyncWithLink(settings.rules, entity, record, index) : wouldSync(settings, record, index);
  });
}

/**
 * A record no other system holds by the holds rules (a cold Zoho contact) has no entity, and never will: without this
 * check every run whose window still covers it would hand it over again and count it as caught. The plan runs as if
 * no other system had a record for it; an unlinked counterpart there that its match keys would find is the one case
 * this misses, and that counterpart's own pass links the two.
 */
function wouldSync(settings: HubSettings, record: RecordSnapshot, references: ReferenceIndex): boolean {
  const { system, object } = record.ref;
  const records: Record<SystemName, RecordSnapshot | null> = {};
  for (const holder of systemsHolding(settings, object)) records[holder] = holder === system ? record : null;
  return planPass({ settings, object, origin: system, entity: null, records, references, forceCreate: [] }).action !== 'skip';
}

export function newestModifiedAt(since: number, records: readonly RecordSnapshot[]): number {
  return records.reduce((newest, record) => Math.max(newest, record.modifiedAt), since);
}
