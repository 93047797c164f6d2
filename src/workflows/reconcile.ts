import { continueAsNew, metricMeter, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { BackfillCrmActivities } from '../activities/backfill-crm-activities';
import type { ReconcileActivities } from '../activities/reconcile-activities';
import type { StoreActivities } from '../activities/store-activities';
import { willReach } from '../domain/backfill-reach';
import { referencedRefsOf } from '../domain/references';
import { newestModifiedAt, reconcileWindow, recordsOutOfSync, type ReconcileInput, type ReconcileResult, type ReconcileState } from '../domain/reconcile';
import { BACKFILL_PRIORITY, TASK_QUEUES, taskQueueFor } from './messages';
import { decidePatchesAtStart, isPatched } from './patches';

const PAGE_SIZE = 100;
/** About 150 activities and their events: well inside a history Temporal handles without a suggestion to move on. */
const MAX_PAGES_PER_RUN = 50;
/** Retried with backoff without an attempt limit, like live sync's calls: a run never gives up on a page. */
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
/** Below live sync on the same rate-limited queues: reconciliation only spends budget live sync leaves over. */
const priority = { priorityKey: BACKFILL_PRIORITY };

const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10s' } });
const handoff = proxyActivities<ReconcileActivities>({ taskQueue: TASK_QUEUES.sync, startToCloseTimeout: '1 minute', retry, priority });

/**
 * One reconciliation run of one system and object, started by its Schedule (src/temporal/reconcile-schedules.ts):
 * lists the records modified since the stored cursor (less an overlap) with the backfill's keyset listing, looks
 * each page up in the store at once, and hands every record that is not what its link last synced (or was never
 * synced) to its record workflow, as an event would. The cursor moves only after every page is handed over, to the
 * newest modification time seen: a crash repeats the run, never skips a record.
 */
export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  decidePatchesAtStart();
  const crm = proxyActivities<BackfillCrmActivities>({
    taskQueue: taskQueueFor(input.system),
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '15s',
    retry,
    priority,
  });
  const settings = await store.hubSettings();
  const state = input.state ?? (await startState(input));
  // What a running backfill will list is its to sync: handed to live sync as well, it would be synced twice, and
  // thousands of passes would take the budget the backfill pages with (bench backfill-with-live: 4,045 at once).
  const ahead = isPatched('reconcile-leaves-backfills-their-records') ? await handoff.reconcileBackfillsAhead(input.system, input.object) : [];

  for (let pages = 1; ; pages++) {
    const page = await crm.backfillList(input.object, { ...state.window, cursor: state.pageCursor, limit: input.pageSize ?? PAGE_SIZE });
    if (page.records.length > 0) {
      const found = await store.lookup(page.records.map((record) => record.ref), referencedRefsOf(page.records));
      const outOfSync = recordsOutOfSync(settings, page.records, found.entities, found.companies);
      const changed = outOfSync.filter((record) => !ahead.some((backfill) => willReach(backfill, record)));
      if (changed.length > 0) await handoff.reconcileHandToLive(changed.map((record) => record.ref));
      state.listed += page.records.length;
      state.caught += changed.length;
      state.leftToBackfills = (state.leftToBackfills ?? 0) + outOfSync.length - changed.length;
      state.newest = newestModifiedAt(state.newest, page.records);
      metricMeter.createCounter('crm_sync_reconciled_total', 'records', 'records reconciliation handed to live sync').add(changed.length, { system: input.system, object: input.object });
    }
    state.pageCursor = page.nextCursor;
    if (state.pageCursor === undefined) break;
    // A long window (after an outage) is paged over several runs, so that no history grows large.
    if (pages >= (input.maxPagesPerRun ?? MAX_PAGES_PER_RUN) || workflowInfo().continueAsNewSuggested) return continueAsNew<typeof reconcile>({ ...input, state });
  }

  const { runId } = workflowInfo();
  await store.recordReconciliation({ runId, system: input.system, object: input.object, caught: state.caught, cursor: state.newest });
  return { listed: state.listed, caught: state.caught, leftToBackfills: state.leftToBackfills ?? 0, cursor: state.newest };
}

async function startState(input: ReconcileInput): Promise<ReconcileState> {
  const startedAt = Date.now();
  // The first run ever looks back one interval: older records are a backfill's.
  const cursor = (await store.reconcileCursor(input.system, input.object)) ?? startedAt - input.intervalMs;
  return { window: reconcileWindow(cursor, input.overlapMs, startedAt, input.settleMs), newest: cursor, listed: 0, caught: 0 };
}
