import { DEFAULT_HUBSPOT_LIVE_SHARE } from '../../src/config/env';
import { atRestNote, offNote, poolAtRest, type PoolAtRest } from '../support/at-rest';
import { fetchCallCounts, callDelta } from '../support/crm-calls';
import { createLinkedPool, type LinkedContact } from '../support/linked-pool';
import { reportOffHistories } from '../support/off-histories';
import { runLiveLoad, type LiveLoadResult } from '../support/live-load';
import { HUBSPOT_100_PER_10S, type LimitProfile } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, num, type Scenario } from '../support/scenario';
import { reconcileNote, reconcileRunsText, withReconcileRuns, type ReconcileRuns } from '../support/reconcile-runs';
import { quiesce } from '../support/sims';
import type { BenchStack, StackBase } from '../support/stack';
import { withEventLoopDelay } from '../support/event-loop';
import { ratio, reportSummary, round, summarize } from '../support/stats';
import { backfillRows, measureBackfill, startBackfillStack } from './backfill';

/**
 * Each record of a direction's pool comes round again after this long at the run's rate (60 records a direction at
 * 10 edits/s, as before): a record is edited again only once its last edit arrived, and edits during the backfill
 * took up to 2 s at p99 here. Creating the pool is paced by HubSpot's 100 requests/10 s: a fixed 120 records cost
 * 24 s of every run, most of a quick one's time.
 */
const POOL_ROUND_SECONDS = 12;
const MIN_POOL_PER_DIRECTION = 10;
/** How long the CRMs may take to go quiet after the backfill before the live pool is read back at rest. */
const AT_REST_WAIT_MS = 180_000;

function poolPerDirection(rate: number): number {
  return Math.max(MIN_POOL_PER_DIRECTION, Math.ceil((rate / 2) * POOL_ROUND_SECONDS));
}

interface MixedLoad {
  edits: number;
  achievedRate: number;
  latencyMs: ReturnType<typeof reportSummary>;
  byDirection: Record<string, ReturnType<typeof reportSummary>>;
  timedOut: number;
  skippedBusy: number;
  /** the bench process's event-loop delay meanwhile (it hosts simulators, API and worker) */
  eventLoopDelayMs: ReturnType<typeof reportSummary>;
  /** started while the edits were sent */
  reconcile: ReconcileRuns;
  /** per record of the two pools (in order), the job titles it may hold at rest */
  accepted: (string[] | null)[];
}

/** Scenario 2's load at `rate` edits/s in total, half in each direction at once, on separate halves of the pool. */
async function mixedLoad(stack: BenchStack, pools: [LinkedContact[], LinkedContact[]], rate: number, label: string, until: { durationMs?: number; stop?: () => boolean }): Promise<MixedLoad> {
  const common = { ratePerSecond: rate / 2, timeoutMs: 120_000, ...until };
  const {
    result: { result: runs, eventLoopDelayMs },
    reconcile,
  } = await withReconcileRuns(stack.client, () =>
    withEventLoopDelay(
      (): Promise<LiveLoadResult[]> =>
        Promise.all([
          runLiveLoad(stack, { ...common, pool: pools[0], direction: 'hubspot-to-zoho', label: `${label} h` }),
          runLiveLoad(stack, { ...common, pool: pools[1], direction: 'zoho-to-hubspot', label: `${label} z` }),
        ]),
    ),
  );
  const all = runs.flatMap((r) => r.latencies);
  const edits = runs.reduce((n, r) => n + r.edits, 0);
  const sending = Math.max(...runs.map((r) => r.sendingMs)) / 1000;
  const overall = summarize(all);
  progress(`    ${label}: ${edits} edits, p50 ${ms(overall.p50)}, p99 ${ms(overall.p99)}, event-loop delay p99 ${ms(eventLoopDelayMs.p99)} max ${ms(eventLoopDelayMs.max)}${reconcileNote(reconcile)}`);
  return {
    edits,
    achievedRate: round(edits / sending, 2),
    latencyMs: reportSummary(overall),
    byDirection: Object.fromEntries(runs.map((r) => [r.direction, reportSummary(summarize(r.latencies))])),
    timedOut: runs.reduce((n, r) => n + r.timedOut, 0),
    skippedBusy: runs.reduce((n, r) => n + r.skippedBusy, 0),
    eventLoopDelayMs,
    reconcile,
    accepted: runs.flatMap((r) => r.accepted),
  };
}

/**
 * Scenario 5: the backfill of scenario 4 while live edits run (both directions), against the same live load without
 * the backfill, on the same stack and limits. Both share HubSpot's 100 requests/10 s, and live sync's CRM calls have
 * task-queue priority over the backfill's. One fresh stack per live rate (the backfill needs an empty HubSpot). The
 * backfill is cancelled after --with-live-max-seconds, so a run ends even when live edits leave it no HubSpot capacity.
 */
export const backfillWithLiveScenario: Scenario = {
  name: 'backfill-with-live',
  summary: 'scenario 4 while live edits run at 1, 3 and 10/s: live p99 during the backfill against without it',
  async run({ base, options }) {
    const runs: WithLiveRun[] = [];
    const share = options.hubspotLiveShare;
    const profile: LimitProfile = { ...HUBSPOT_100_PER_10S, env: { ...HUBSPOT_100_PER_10S.env, HUBSPOT_LIVE_SHARE: String(share) } };
    for (const rate of options.withLiveRates) runs.push(await withLive(base, profile, options.backfillRecords, rate, options.liveSeconds, options.withLiveMaxSeconds));
    // figures under another share are told apart by their names, so they sit beside the default's in the results
    const at = (rate: number) => (share === DEFAULT_HUBSPOT_LIVE_SHARE ? `@${rate}/s` : `@${rate}/s live share ${share}`);
    return {
      figures: { runs, limits: profile.name, hubspotLiveShare: share },
      rows: runs.flatMap(({ liveRate: rate, alone, during, p99Ratio, hubspotRequestsPerEdit, atRest, backfill }) => [
        { metric: `${at(rate)} live p99 during / without backfill`, value: `${ms(during.latencyMs.p99)} / ${ms(alone.latencyMs.p99)} (×${num(p99Ratio, 2)})` },
        { metric: `${at(rate)} reconciliation runs during / without backfill`, value: `${reconcileRunsText(during.reconcile)} / ${reconcileRunsText(alone.reconcile)}` },
        { metric: `${at(rate)} live p50 during / without backfill`, value: `${ms(during.latencyMs.p50)} / ${ms(alone.latencyMs.p50)}` },
        { metric: `${at(rate)} event-loop delay p99 / max during backfill`, value: `${ms(during.eventLoopDelayMs.p99)} / ${ms(during.eventLoopDelayMs.max)}` },
        { metric: `${at(rate)} live edits/s achieved during / without`, value: `${num(during.achievedRate, 2)} / ${num(alone.achievedRate, 2)}` },
        { metric: `${at(rate)} HubSpot requests per live edit without backfill`, value: num(hubspotRequestsPerEdit, 2) },
        { metric: `${at(rate)} live pool at rest after the backfill`, value: atRestNote(atRest) },
        ...backfillRows(backfill).map((row) => ({ ...row, metric: `${at(rate)} backfill ${row.metric}` })),
      ]),
    };
  },
};

interface WithLiveRun {
  liveRate: number;
  poolPerDirection: number;
  alone: MixedLoad;
  during: MixedLoad;
  p99Ratio: number | null;
  /** HubSpot requests (reads and writes, echoes included) per edit of the live load alone */
  hubspotRequestsPerEdit: number | null;
  /** the live pool as both CRMs hold it once quiet after the backfill */
  atRest: PoolAtRest;
  backfill: Awaited<ReturnType<typeof measureBackfill>>;
}

async function withLive(base: StackBase, profile: LimitProfile, records: number, rate: number, liveSeconds: number, maxSeconds: number): Promise<WithLiveRun> {
  progress(`backfill-with-live: ${records} contacts, live edits at ${rate}/s`);
  const stack = await startBackfillStack(base, records, profile);
  try {
    const perDirection = poolPerDirection(rate);
    const pool = await createLinkedPool(stack, perDirection * 2, 5);
    const pools: [LinkedContact[], LinkedContact[]] = [pool.slice(0, perDirection), pool.slice(perDirection)];
    progress(`  live edits alone for ${liveSeconds} s`);
    const before = await fetchCallCounts(stack.hubspot.url);
    const alone = await mixedLoad(stack, pools, rate, 'without backfill', { durationMs: liveSeconds * 1000 });
    await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
    const calls = callDelta(before, await fetchCallCounts(stack.hubspot.url));
    const hubspotRequestsPerEdit = ratio(calls.reads + calls.writes, alone.edits, 2);
    progress(`    HubSpot requests per edit: ${num(hubspotRequestsPerEdit, 2)} (${JSON.stringify(calls.byRoute)})`);
    progress(`  live edits during the backfill`);
    let backfillDone = false;
    const duringLoad = mixedLoad(stack, pools, rate, 'during backfill', { stop: () => backfillDone });
    const backfill = await measureBackfill(stack, records, `with-live-${rate}`, maxSeconds).finally(() => {
      backfillDone = true;
    });
    const during = await duringLoad;
    // what the backfill handed to live sync, and its creates' echoes, still run under HubSpot's limit for a while
    await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url }, AT_REST_WAIT_MS);
    const atRest = await poolAtRest({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url }, pools.flat(), during.accepted);
    progress(`    live pool at rest after the backfill: ${atRestNote(atRest)}${offNote(atRest)}`);
    await reportOffHistories(stack, atRest, `with-live-${rate}`);
    return { liveRate: rate, poolPerDirection: perDirection, alone, during, p99Ratio: ratio(during.latencyMs.p99 ?? Number.NaN, alone.latencyMs.p99 ?? Number.NaN, 2), hubspotRequestsPerEdit, atRest, backfill };
  } finally {
    await stack.close();
  }
}
