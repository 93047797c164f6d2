import { DEFAULT_HUBSPOT_LIVE_SHARE } from '../../src/config/env';

/**
 * Command-line options of `npm run bench -- [scenario…] [--flag=value…]`. Defaults are the numbers of issue #7;
 * the flags exist to try smaller runs, and the results file records which values were used.
 */
export interface BenchOptions {
  scenarios: string[];
  /** where to write the results (default bench/results/latest.json, whose figures also go into bench/README.md) */
  resultsFile: string | null;
  /** `--quick`: every scenario small (QUICK_OPTIONS), results to bench/results/quick.json unless --results says otherwise */
  quick: boolean;
  /**
   * The hub's store: `pglite`, embedded in the worker's process as `npm start` runs it (the default), or `postgres`, a
   * private PostgreSQL server per stack as a deployment runs it (DATABASE_URL), whose queries then run in processes of
   * their own instead of on the worker's main thread. Results go to bench/results/postgres.json unless --results says
   * otherwise: README's table stays the default's.
   */
  store: BenchStore;
  ingressSeconds: number;
  /** events/s offered in the paced phase (batches of 100 sent at fixed intervals) */
  ingressRate: number;
  ingressConcurrency: number;
  liveSeconds: number;
  liveRates: number[];
  livePool: number;
  createCount: number;
  createRate: number;
  backfillRecords: number;
  /** live edits/s during scenario 5, one run (and stack) per rate */
  withLiveRates: number[];
  withLiveMaxSeconds: number;
  /** HUBSPOT_LIVE_SHARE in scenario 5 (1: live sync may spend HubSpot's whole budget; default: the product's) */
  hubspotLiveShare: number;
  costEdits: number;
  costBackfillRecords: number;
  /** purchases per case of shop-deal-latency (new buyer, then buyer already in HubSpot) */
  shopDealCount: number;
  shopDealRate: number;
  /** purchases seeded in the shop for shop-initial-load */
  shopLoadPurchases: number;
  /** live purchase edits/s beside the shop backfill */
  shopLoadLiveRate: number;
  /** purchases made with deals before shop-initial-load's backfill, for its live edits (new buyers each) */
  shopLoadLivePool: number;
}

export const BENCH_STORES = ['pglite', 'postgres'] as const;
export type BenchStore = (typeof BENCH_STORES)[number];

type SizeOptions = Omit<BenchOptions, 'scenarios' | 'resultsFile' | 'quick' | 'store'>;

export const DEFAULT_OPTIONS: SizeOptions = {
  ingressSeconds: 30,
  // the figure
  ingressRate: 2_000,
  ingressConcurrency: 10,
  liveSeconds: 30,
  // 5/s shows the latency of an unloaded system on this hardware; 10 and 50 are the rates
  liveRates: [5, 10, 50],
  livePool: 200,
  createCount: 150,
  createRate: 5,
  backfillRecords: 20_000,
  // 1/s: single edits now and then; 3/s: two thirds of HubSpot's 100 requests/10 s; 10/s: the rate, over the quota
  withLiveRates: [1, 3, 10],
  withLiveMaxSeconds: 300,
  hubspotLiveShare: DEFAULT_HUBSPOT_LIVE_SHARE,
  costEdits: 60,
  costBackfillRecords: 1_000,
  shopDealCount: 100,
  // people buying now and then: 2/s is well above a small shop's rate and within HubSpot's lifted limits
  shopDealRate: 2,
  shopLoadPurchases: 20_000,
  shopLoadLiveRate: 1,
  shopLoadLivePool: 20,
};

/**
 * `--quick`: every scenario at a size that shows a regression in about 5 minutes in all on this 2-core machine, for a
 * pull request. Figures are noisier (fewer samples) and the backfills too short to reach a steady rate.
 */
export const QUICK_OPTIONS: SizeOptions = {
  ingressSeconds: 5,
  ingressRate: 2_000,
  ingressConcurrency: 10,
  liveSeconds: 6,
  liveRates: [10],
  livePool: 60,
  createCount: 20,
  createRate: 5,
  backfillRecords: 1_000,
  withLiveRates: [3],
  withLiveMaxSeconds: 60,
  hubspotLiveShare: DEFAULT_HUBSPOT_LIVE_SHARE,
  costEdits: 20,
  costBackfillRecords: 200,
  shopDealCount: 10,
  shopDealRate: 2,
  shopLoadPurchases: 200,
  shopLoadLiveRate: 1,
  // each pool purchase is a new buyer's, whose deal waits for HubSpot's 100 requests/10 s: 10 took 30 s here. Six
  // cover the 6 s of edits at 1/s: an edit arrived in under a second, so a record is free again long before its turn.
  shopLoadLivePool: 6,
};

const FLAGS: Record<string, keyof SizeOptions> = {
  'ingress-seconds': 'ingressSeconds',
  'ingress-rate': 'ingressRate',
  'ingress-concurrency': 'ingressConcurrency',
  'live-seconds': 'liveSeconds',
  'live-rates': 'liveRates',
  'live-pool': 'livePool',
  'create-count': 'createCount',
  'create-rate': 'createRate',
  'backfill-records': 'backfillRecords',
  'with-live-rates': 'withLiveRates',
  'with-live-max-seconds': 'withLiveMaxSeconds',
  'hubspot-live-share': 'hubspotLiveShare',
  'cost-edits': 'costEdits',
  'cost-backfill-records': 'costBackfillRecords',
  'shop-deal-count': 'shopDealCount',
  'shop-deal-rate': 'shopDealRate',
  'shop-load-purchases': 'shopLoadPurchases',
  'shop-load-live-rate': 'shopLoadLiveRate',
  'shop-load-live-pool': 'shopLoadLivePool',
};

export function usage(scenarioNames: string[]): string {
  const flags = Object.entries(FLAGS).map(([flag, key]) => `  --${flag}=${String(DEFAULT_OPTIONS[key])}`);
  return `usage: npm run bench -- [${scenarioNames.join('|')} …] [flags]\nflags (defaults shown):\n${flags.join('\n')}\n  --store=${BENCH_STORES.join('|')}\n  --results=bench/results/latest.json\n  --quick   every scenario small (about 5 minutes in all), results to bench/results/quick.json\n`;
}

export function parseOptions(argv: readonly string[], scenarioNames: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const sizes = quick ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  const options: BenchOptions = { ...sizes, liveRates: [...sizes.liveRates], withLiveRates: [...sizes.withLiveRates], scenarios: [], resultsFile: null, quick, store: 'pglite' };
  for (const arg of argv) {
    if (arg === '--quick') continue;
    if (arg.startsWith('--results=')) {
      options.resultsFile = arg.slice('--results='.length);
      continue;
    }
    if (arg.startsWith('--store=')) {
      const store = BENCH_STORES.find((name) => `--store=${name}` === arg);
      if (!store) throw new Error(`${arg}: expected --store=${BENCH_STORES.join(' or --store=')}`);
      options.store = store;
      continue;
    }
    const flag = /^--([a-z-]+)=(.+)$/.exec(arg);
    if (flag) {
      const key = FLAGS[flag[1] ?? ''];
      if (!key) throw new Error(`unknown flag ${arg}`);
      const values = (flag[2] ?? '').split(',').map(Number);
      if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`${arg}: expected positive numbers`);
      if (key === 'liveRates' || key === 'withLiveRates') options[key] = values;
      else options[key] = values[0] ?? sizes[key];
      continue;
    }
    if (!scenarioNames.includes(arg)) throw new Error(`unknown scenario "${arg}"`);
    options.scenarios.push(arg);
  }
  if (options.scenarios.length === 0) options.scenarios = [...scenarioNames];
  return options;
}
