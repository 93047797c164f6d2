import { atRestNote, offNote, poolAtRest, type PoolAtRest } from '../support/at-rest';
import { callDelta, fetchCallCounts, type CallCounts } from '../support/crm-calls';
import { createLinkedPool, type LinkedContact } from '../support/linked-pool';
import { reportOffHistories } from '../support/off-histories';
import { withNotificationBacklog } from '../support/notification-backlog';
import { runBothWaysLoad, runLiveLoad, type Direction } from '../support/live-load';
import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { reconcileNote, withReconcileRuns, type ReconcileRuns } from '../support/reconcile-runs';
import { ms, num, type Scenario, type TableRow } from '../support/scenario';
import { quiesce } from '../support/sims';
import { startBenchStack, type BenchStack } from '../support/stack';
import { ratio, reportSummary, round, summarize } from '../support/stats';

export const DIRECTIONS: Direction[] = ['hubspot-to-zoho', 'zoho-to-hubspot'];
export const ARROW: Record<Direction, string> = { 'hubspot-to-zoho': 'HubSpot→Zoho', 'zoho-to-hubspot': 'Zoho→HubSpot' };

/**
 * How long the CRMs may go on being called after the load. A machine short of CPU (the bench beside a build)
 * works through a backlog for longer than the default's 30 s, late but not wrong: the time it took is the figure then,
 * and only calls that never stop (an echo loop) fail the run.
 */
const QUIET_PATIENCE_MS = 180_000;

export interface LiveRunFigures {
  direction: Direction;
  targetRate: number;
  achievedRate: number;
  edits: number;
  latencyMs: ReturnType<typeof reportSummary>;
  timedOut: number;
  skippedBusy: number;
  failedEdits: number;
  callsPerEdit: { hubspot: { reads: number | null; writes: number | null }; zoho: { reads: number | null; writes: number | null } };
  rateLimited: { hubspot: number; zoho: number };
  /** started while the edits were sent: their calls are in callsPerEdit */
  reconcile: ReconcileRuns;
  /** the pool as both CRMs hold it once quiet after the run */
  atRest: PoolAtRest;
  /** Zoho updates refused as modified after their check's version (If-Unmodified-Since) */
  refusedInZoho: number;
  /** the most Zoho notifications waiting in Zoho to be delivered at once, from the start of the edits to the quiet */
  zohoNotificationsQueued: number;
  /** from the end of the load (one way: the last edit seen in the other CRM) until neither CRM was called for 1.5 s */
  quietAfterMs: number;
}

/**
 * One measured run: steady edits in one direction, then the CRMs' counters once everything (echoes included) has
 * settled, so that calls per edit include the whole cost of an edit.
 */
export async function measureLiveRun(stack: BenchStack, pool: readonly LinkedContact[], direction: Direction, rate: number, durationMs: number, label: string): Promise<LiveRunFigures> {
  const urls = { hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url };
  const before = await Promise.all([fetchCallCounts(urls.hubspotUrl), fetchCallCounts(urls.zohoUrl)]);
  const since = Date.now();
  progress(`  ${ARROW[direction]} at ${rate} edits/s for ${durationMs / 1000} s`);
  const {
    result: { measured: { result: run, reconcile }, quietAfterMs },
    peakQueued: zohoNotificationsQueued,
  } = await withNotificationBacklog(urls.zohoUrl, async () => {
    const measured = await withReconcileRuns(stack.client, () => runLiveLoad(stack, { pool, direction, ratePerSecond: rate, durationMs, timeoutMs: 60_000, label }));
    return { measured, quietAfterMs: await quiesce(urls, QUIET_PATIENCE_MS) };
  });
  const after = await Promise.all([fetchCallCounts(urls.hubspotUrl), fetchCallCounts(urls.zohoUrl)]);
  const atRest = await poolAtRest(urls, pool, run.accepted, since);
  await reportOffHistories(stack, atRest, label);
  const [hubspot, zoho] = [callDelta(before[0], after[0]), callDelta(before[1], after[1])];
  const perEdit = (calls: CallCounts) => ({ reads: ratio(calls.reads, run.edits, 2), writes: ratio(calls.writes, run.edits, 2) });
  const latency = summarize(run.latencies);
  progress(`    p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, ${run.timedOut} lost, ${run.skippedBusy} skipped${reconcileNote(reconcile)}; ${queuedNote(zohoNotificationsQueued, quietAfterMs)}; at rest ${atRestNote(atRest, zoho.refused)}${offNote(atRest)}`);
  return {
    direction,
    targetRate: rate,
    achievedRate: round(run.edits / (run.sendingMs / 1000), 2),
    edits: run.edits,
    latencyMs: reportSummary(latency),
    timedOut: run.timedOut,
    skippedBusy: run.skippedBusy,
    failedEdits: run.failedEdits,
    callsPerEdit: { hubspot: perEdit(hubspot), zoho: perEdit(zoho) },
    rateLimited: { hubspot: hubspot.rateLimited, zoho: zoho.rateLimited },
    reconcile,
    atRest,
    refusedInZoho: zoho.refused,
    zohoNotificationsQueued,
    quietAfterMs,
  };
}

function queuedNote(queued: number, quietAfterMs: number): string {
  return `at most ${queued} Zoho notifications queued, CRMs quiet ${ms(quietAfterMs)} after the load`;
}

export function liveRows(run: LiveRunFigures, prefix = ''): TableRow[] {
  const l = run.latencyMs;
  const c = run.callsPerEdit;
  return [
    { metric: `${prefix}${ARROW[run.direction]} @${run.targetRate}/s p50/p95/p99`, value: `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} (n=${l.count ?? 0}, sent at ${num(run.achievedRate)}/s, lost ${run.timedOut})` },
    { metric: `${prefix}${ARROW[run.direction]} @${run.targetRate}/s calls/edit`, value: `HubSpot ${num(c.hubspot.reads, 2)}r ${num(c.hubspot.writes, 2)}w, Zoho ${num(c.zoho.reads, 2)}r ${num(c.zoho.writes, 2)}w${reconcileNote(run.reconcile)}` },
    { metric: `${prefix}${ARROW[run.direction]} @${run.targetRate}/s notification backlog`, value: queuedNote(run.zohoNotificationsQueued, run.quietAfterMs) },
    { metric: `${prefix}${ARROW[run.direction]} @${run.targetRate}/s at rest`, value: atRestNote(run.atRest, run.refusedInZoho) },
  ];
}

export interface BothWaysFigures {
  targetRate: number;
  achievedRate: number;
  edits: number;
  failedEdits: number;
  ties: number;
  atRest: PoolAtRest;
  refusedInZoho: number;
  zohoNotificationsQueued: number;
  /** from the last edit sent until neither CRM was called for 1.5 s */
  quietAfterMs: number;
}

/**
 * The same rate split between the two CRMs, on the same field of the same records: concurrent edits on both sides.
 * What the pool holds once quiet is the figure (newest edit everywhere, links intact, no duplicate).
 */
export async function measureBothWays(stack: BenchStack, pool: readonly LinkedContact[], rate: number, durationMs: number, label: string): Promise<BothWaysFigures> {
  const urls = { hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url };
  progress(`  both ways at once at ${rate} edits/s for ${durationMs / 1000} s`);
  const since = Date.now();
  const before = await fetchCallCounts(urls.zohoUrl);
  const {
    result: { run, quietAfterMs },
    peakQueued: zohoNotificationsQueued,
  } = await withNotificationBacklog(urls.zohoUrl, async () => {
    const sent = await runBothWaysLoad(stack, { pool, ratePerSecond: rate, durationMs, label });
    return { run: sent, quietAfterMs: await quiesce(urls, QUIET_PATIENCE_MS) };
  });
  const atRest = await poolAtRest(urls, pool, run.accepted, since);
  await reportOffHistories(stack, atRest, label);
  const refusedInZoho = callDelta(before, await fetchCallCounts(urls.zohoUrl)).refused;
  progress(`    ${run.edits} edits, ${run.ties} ties; ${queuedNote(zohoNotificationsQueued, quietAfterMs)}; at rest ${atRestNote(atRest, refusedInZoho)}${offNote(atRest)}`);
  return { targetRate: rate, achievedRate: round(run.edits / (run.sendingMs / 1000), 2), edits: run.edits, failedEdits: run.failedEdits, ties: run.ties, atRest, refusedInZoho, zohoNotificationsQueued, quietAfterMs };
}

function bothWaysRow(run: BothWaysFigures): TableRow {
  return { metric: `both ways at once @${run.targetRate}/s at rest`, value: `${atRestNote(run.atRest, run.refusedInZoho)} (${run.edits} edits at ${num(run.achievedRate)}/s, ${run.ties} ties; ${queuedNote(run.zohoNotificationsQueued, run.quietAfterMs)})` };
}

/**
 * Scenario 2: edits at steady rates on already-linked contacts, each direction separately, limits lifted; then, at
 * each rate, both directions at once on the same records, read back at rest.
 */
export const liveLatencyScenario: Scenario = {
  name: 'live-latency',
  summary: 'user edits at steady rates, both directions: time until readable in the other CRM, CRM calls per edit',
  async run({ base, options }) {
    const stack = await startBenchStack({ ...base, profile: LIFTED });
    try {
      const pool = await createLinkedPool(stack, options.livePool, 20);
      const runs: LiveRunFigures[] = [];
      const bothWays: BothWaysFigures[] = [];
      const rows: TableRow[] = [];
      for (const rate of options.liveRates) {
        for (const direction of DIRECTIONS) {
          const run = await measureLiveRun(stack, pool, direction, rate, options.liveSeconds * 1000, `live ${rate} ${direction}`);
          runs.push(run);
          rows.push(...liveRows(run));
        }
        const both = await measureBothWays(stack, pool, rate, options.liveSeconds * 1000, `live ${rate} both`);
        bothWays.push(both);
        rows.push(bothWaysRow(both));
      }
      return { figures: { pool: pool.length, secondsPerRun: options.liveSeconds, limits: LIFTED.name, runs, bothWays }, rows };
    } finally {
      await stack.close();
    }
  },
};
