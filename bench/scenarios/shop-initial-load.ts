import { shopClient } from '../../test/support/shop-admin';
import type { BenchOptions } from '../support/options';
import { withEventLoopDelay } from '../support/event-loop';
import { HUBSPOT_100_PER_10S } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, num, type Scenario, type TableRow } from '../support/scenario';
import { quiesce } from '../support/sims';
import { dealsNotMatchingTheirPurchase, editPurchases, failedRecordWorkflows, newBuyer, purchaseAtRate, type PurchaseDeal } from '../support/shop-purchases';
import { startBenchStack, type BenchStack } from '../support/stack';
import { ratio, reportSummary, round, summarize } from '../support/stats';
import { backfillRows, countHubspotRecords, measureBackfill } from './backfill';

/** Buyers and businesses per purchase seeded: a few purchases per buyer, a few buyers per business. */
const USERS_PER_PURCHASE = 1 / 4;
const BUSINESSES_PER_PURCHASE = 1 / 20;
/** Records handed to live sync are waited for until no new deal appears for this long. */
const HAND_OFF_QUIET_MS = 60_000;

/**
 * Scenario 8: the shop's purchases into an empty HubSpot at 100 requests/10 s, with the backfill workflow as
 * `npm run backfill -- --from shop --object purchase` starts it, while purchases are edited live in the shop; against
 * the same live load without it. A purchase's buyer and business must be in HubSpot before its deal: the backfill
 * syncs them first, and what it cannot settle itself (a shop user takes the new HubSpot id by command, answered by
 * signal) goes to live sync, whose deals are waited for and timed after the backfill's own result.
 */
export const shopInitialLoadScenario: Scenario = {
  name: 'shop-initial-load',
  summary: 'seeded shop purchases into an empty HubSpot at 100 requests/10 s, live purchase edits beside it',
  async run({ base, options }) {
    const purchases = options.shopLoadPurchases;
    const users = Math.max(1, Math.round(purchases * USERS_PER_PURCHASE));
    const businesses = Math.max(1, Math.round(purchases * BUSINESSES_PER_PURCHASE));
    progress(`shop-initial-load: ${purchases} purchases by ${users} users in ${businesses} businesses, live edits at ${options.shopLoadLiveRate}/s`);
    const stack = await startBenchStack({
      ...base,
      profile: HUBSPOT_100_PER_10S,
      shop: true,
      prepare: async ({ shopUrl }) => {
        progress(`  seeding the shop`);
        const seeded = await shopClient(shopUrl ?? '').seed({ businesses, users, purchases, seed: 1 });
        progress(`  seeded ${JSON.stringify(seeded)}`);
      },
    });
    try {
      return await initialLoad(stack, options, { purchases, users, businesses });
    } finally {
      await stack.close();
    }
  },
};

async function initialLoad(stack: BenchStack, options: BenchOptions, seeded: { purchases: number; users: number; businesses: number }) {
  // Purchases with a deal, edited live: a record is edited again only once its last edit arrived.
  progress(`  creating ${options.shopLoadLivePool} purchases with deals for the live edits`);
  const made = await purchaseAtRate(stack, { count: options.shopLoadLivePool, ratePerSecond: 2, timeoutMs: 120_000, buyer: (i) => newBuyer(stack, 'pool', i) });
  if (made.deals.length === 0) throw new Error('no pool purchase became a deal');
  await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });

  progress(`  live edits alone for ${options.liveSeconds} s`);
  const alone = await liveEdits(stack, made.deals, options.shopLoadLiveRate, 'without backfill', { durationMs: options.liveSeconds * 1000 });
  await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });

  progress(`  live edits during the backfill`);
  const dealsBefore = await countHubspotRecords(stack.hubspot.url, 'deals');
  let backfillDone = false;
  const duringLoad = liveEdits(stack, made.deals, options.shopLoadLiveRate, 'during backfill', { stop: () => backfillDone });
  const startedAt = Date.now();
  const backfill = await measureBackfill(stack, seeded.purchases, 'shop-purchases', options.withLiveMaxSeconds, { input: { from: 'shop', object: 'deal' }, hubspotObject: 'deals' }).finally(() => {
    backfillDone = true;
  });
  const during = await duringLoad;
  const handOff = await awaitHandedOver(stack, dealsBefore, seeded.purchases, startedAt, options.withLiveMaxSeconds);
  await quiesce({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  const wrongAtRest = await dealsNotMatchingTheirPurchase(stack, made.deals);
  const failedWorkflows = await failedRecordWorkflows(stack);
  const handedToLive = backfill.final?.handedToLive ?? null;
  const overallPerSecond = handOff.deals / handOff.seconds;
  const p99Ratio = ratio(during.latencyMs.p99 ?? Number.NaN, alone.latencyMs.p99 ?? Number.NaN, 2);
  return {
    figures: {
      seeded,
      livePool: made.deals.length,
      liveRate: options.shopLoadLiveRate,
      alone,
      during,
      p99Ratio,
      backfill,
      handedToLive,
      withHandOffs: { deals: handOff.deals, seconds: round(handOff.seconds), recordsPerSecond: round(overallPerSecond), fractionOfCeiling: ratio(overallPerSecond, backfill.ceilingRecordsPerSecond) },
      failedRecordWorkflows: failedWorkflows,
      poolDealsWrongAtRest: wrongAtRest,
      limits: HUBSPOT_100_PER_10S.name,
    },
    rows: [
      ...backfillRows(backfill).map((row) => ({ ...row, metric: `backfill ${row.metric}` })),
      { metric: 'backfill created / linked / handed to live / failed', value: `${backfill.final?.created ?? 'n/a'} / ${backfill.final?.linked ?? 'n/a'} / ${handedToLive ?? 'n/a'} / ${backfill.final?.failed ?? 'n/a'} (companies synced ${backfill.final?.companiesSynced ?? 'n/a'})` },
      { metric: 'deals in HubSpot with hand-offs / elapsed', value: `${handOff.deals} of ${seeded.purchases} / ${num(handOff.seconds)} s: ${num(overallPerSecond)}/s (${num(ratio(overallPerSecond, backfill.ceilingRecordsPerSecond), 3)} of ${backfill.ceilingRecordsPerSecond})` },
      { metric: `live @${options.shopLoadLiveRate}/s purchase → deal p99 during / without`, value: `${ms(during.latencyMs.p99)} / ${ms(alone.latencyMs.p99)} (×${num(p99Ratio, 2)})` },
      { metric: `live @${options.shopLoadLiveRate}/s p50 during / without`, value: `${ms(during.latencyMs.p50)} / ${ms(alone.latencyMs.p50)} (n=${during.latencyMs.count ?? 0} / ${alone.latencyMs.count ?? 0}, lost ${during.timedOut} / ${alone.timedOut})` },
      { metric: 'event-loop delay p99 / max during backfill', value: `${ms(during.eventLoopDelayMs.p99)} / ${ms(during.eventLoopDelayMs.max)}` },
      { metric: 'record workflows failed', value: String(failedWorkflows) },
      { metric: 'live pool deals not matching their purchase at rest', value: `${wrongAtRest} of ${made.deals.length}` },
    ] satisfies TableRow[],
  };
}

async function liveEdits(stack: BenchStack, pool: PurchaseDeal[], rate: number, label: string, until: { durationMs?: number; stop?: () => boolean }) {
  const { result, eventLoopDelayMs } = await withEventLoopDelay(() => editPurchases(stack, { pool, ratePerSecond: rate, timeoutMs: 120_000, ...until }));
  const latency = summarize(result.latencies);
  progress(`    ${label}: ${result.edits} edits, p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, lost ${result.timedOut}`);
  return { edits: result.edits, achievedRate: round(result.edits / (result.sendingMs / 1000), 2), latencyMs: reportSummary(latency), timedOut: result.timedOut, skippedBusy: result.skippedBusy, eventLoopDelayMs };
}

/**
 * After the backfill's result: the deals of the purchases it handed to live sync, counted until every purchase has one,
 * no new deal appeared for HAND_OFF_QUIET_MS, or maxSeconds since the start. Timed to the last new deal seen.
 */
async function awaitHandedOver(stack: BenchStack, before: number, purchases: number, startedAt: number, maxSeconds: number): Promise<{ deals: number; seconds: number }> {
  let deals = (await countHubspotRecords(stack.hubspot.url, 'deals')) - before;
  let lastGrowth = Date.now();
  while (deals < purchases && Date.now() - lastGrowth < HAND_OFF_QUIET_MS && Date.now() - startedAt < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const now = (await countHubspotRecords(stack.hubspot.url, 'deals')) - before;
    if (now > deals) {
      lastGrowth = Date.now();
      progress(`  deals in HubSpot: ${now} of ${purchases}`);
    }
    deals = now;
  }
  return { deals, seconds: (lastGrowth - startedAt) / 1000 };
}
