import { WORKFLOW_TYPES } from '../../src/workflows/messages';
import { runBackfill } from '../support/backfill-driver';
import { historyCost, runsStartedSince, waitUntilClosed, type HistoryCost } from '../support/history-cost';
import { createLinkedPool } from '../support/linked-pool';
import { runLiveLoad } from '../support/live-load';
import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { num, type Scenario, type TableRow } from '../support/scenario';
import { quiesce, seedHotZohoContacts } from '../support/sims';
import { startBenchStack, type BenchStack } from '../support/stack';
import { ratio } from '../support/stats';
import { ARROW, DIRECTIONS } from './live-latency';

const EDIT_RATE = 5;
/** Records edited in turn at EDIT_RATE for the open-run figure: each gets its next edit within the idle timeout. */
const OPEN_RUN_RECORDS = 3;

interface CostFigures {
  units: number;
  runs: number;
  eventsPerUnit: number | null;
  actionsPerUnit: number | null;
  actionsByKindPerUnit: Record<string, number | null>;
  byWorkflowType: HistoryCost['byType'];
}

function perUnit(cost: HistoryCost, units: number): CostFigures {
  const byKind: Record<string, number | null> = {};
  for (const [kind, n] of Object.entries(cost.actions.byKind)) byKind[kind] = ratio(n, units, 2);
  return { units, runs: cost.runs, eventsPerUnit: ratio(cost.events, units, 2), actionsPerUnit: ratio(cost.actions.total, units, 2), actionsByKindPerUnit: byKind, byWorkflowType: cost.byType };
}

/** Everything Temporal recorded for the work done inside `work()`: every run it started, followed to completion. */
async function costOf(stack: BenchStack, work: () => Promise<number>): Promise<CostFigures> {
  const since = new Date();
  const units = await work();
  await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  await waitUntilClosed(stack.client, WORKFLOW_TYPES.recordSync, 120_000);
  return perUnit(await historyCost(stack.client, await runsStartedSince(stack.client, since)), units);
}

/**
 * Scenario 6: workflow history events and estimated Temporal Cloud actions (definition in support/actions.ts) per
 * synced edit and per backfilled record. Record workflows are given a short idle timeout so that each edit's runs
 * complete and are counted whole (start to completion): the cost of an edit to a record nobody touched recently,
 * which is the common case in a CRM. Edits to a record whose workflow is still open cost less (no start, no close):
 * measured apart, with a few records edited in turn, each again before its workflow's idle timeout.
 */
export const temporalCostScenario: Scenario = {
  name: 'temporal-cost',
  summary: 'workflow history events and Temporal actions per synced edit and per backfilled record',
  async run({ base, options }) {
    // Record workflows complete this long after their last event, so that each edit's whole lifecycle can be counted:
    // longer than the open-run part's span of edits to one record (12 s at the defaults), as a person's edits fall
    // within the default 10 minutes. With 1 s, a run's idle timer fired between two of its record's edits 0.6 s apart.
    const idleTimeoutMs = (options.costEdits / EDIT_RATE) * 1000 + 3000;
    const stack = await startBenchStack({
      ...base,
      profile: LIFTED,
      env: { SYNC_IDLE_TIMEOUT_MS: String(idleTimeoutMs) },
      prepare: async ({ zohoUrl }) => {
        progress(`temporal-cost: seeding ${options.costBackfillRecords} hot Zoho contacts for the backfill part`);
        await seedHotZohoContacts(zohoUrl, options.costBackfillRecords);
      },
    });
    try {
      const pool = await createLinkedPool(stack, options.costEdits, 20);
      await waitUntilClosed(stack.client, WORKFLOW_TYPES.recordSync, 120_000);
      const perEdit: Record<string, CostFigures> = {};
      const rows: TableRow[] = [];
      for (const direction of DIRECTIONS) {
        progress(`  ${options.costEdits} edits ${ARROW[direction]}, one per record, at ${EDIT_RATE}/s`);
        const cost = await costOf(stack, async () => {
          const run = await runLiveLoad(stack, { pool, direction, ratePerSecond: EDIT_RATE, durationMs: (options.costEdits / EDIT_RATE) * 1000, timeoutMs: 60_000, label: `cost ${direction}` });
          return run.edits;
        });
        perEdit[direction] = cost;
        rows.push({ metric: `per edit ${ARROW[direction]}: events / actions`, value: `${num(cost.eventsPerUnit)} / ${num(cost.actionsPerUnit)}` });
      }
      const openRecords = pool.slice(0, OPEN_RUN_RECORDS);
      progress(`  ${options.costEdits} edits ${ARROW['hubspot-to-zoho']} over ${openRecords.length} records in turn, at ${EDIT_RATE}/s (their workflows open)`);
      const perEditOpenRun = await costOf(stack, async () => {
        const run = await runLiveLoad(stack, { pool: openRecords, direction: 'hubspot-to-zoho', ratePerSecond: EDIT_RATE, durationMs: (options.costEdits / EDIT_RATE) * 1000, timeoutMs: 60_000, label: 'cost open' });
        return run.edits;
      });
      rows.push({
        metric: `per edit ${ARROW['hubspot-to-zoho']}, its workflow open: events / actions`,
        value: `${num(perEditOpenRun.eventsPerUnit)} / ${num(perEditOpenRun.actionsPerUnit)} (${perEditOpenRun.runs} runs for ${perEditOpenRun.units} edits)`,
      });
      progress(`  backfill of ${options.costBackfillRecords} hot Zoho contacts`);
      let backfillError: string | null = null;
      let perRecord: CostFigures | null = null;
      try {
        perRecord = await costOf(stack, async () => {
          const run = await runBackfill(stack, { from: 'zoho', object: 'contact' }, 'cost');
          return run.progress?.created ?? options.costBackfillRecords;
        });
        rows.push({ metric: 'per backfilled record: events / actions', value: `${num(perRecord.eventsPerUnit, 2)} / ${num(perRecord.actionsPerUnit, 2)}` });
        const own = perRecord.byWorkflowType[WORKFLOW_TYPES.backfill];
        if (own) rows.push({ metric: '  of which the backfill workflow itself', value: `${num(own.events / perRecord.units, 2)} / ${num(own.actions / perRecord.units, 2)}` });
      } catch (error) {
        backfillError = error instanceof Error ? error.message : String(error);
        rows.push({ metric: 'per backfilled record', value: `not measured: ${backfillError}` });
      }
      return {
        figures: { idleTimeoutMs, editRate: EDIT_RATE, perEdit, perEditOpenRun, openRunRecords: OPEN_RUN_RECORDS, perBackfilledRecord: perRecord, backfillError, limits: LIFTED.name, actionsDefinition: 'bench/support/actions.ts; docs.temporal.io/cloud/actions' },
        rows,
      };
    } finally {
      await stack.close();
    }
  },
};
