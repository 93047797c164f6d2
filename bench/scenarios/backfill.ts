import { z } from 'zod';
import type { BackfillInput } from '../../src/domain/backfill-input';
import { runBackfill, type BackfillRun } from '../support/backfill-driver';
import { callDelta, fetchCallCounts } from '../support/crm-calls';
import { HUBSPOT_100_PER_10S, type LimitProfile } from '../support/profiles';
import { progress } from '../support/progress';
import { num, type Figures, type Scenario, type TableRow } from '../support/scenario';
import { seedHotZohoContacts } from '../support/sims';
import { startBenchStack, type BenchStack, type StackBase } from '../support/stack';
import { ratio, round } from '../support/stats';

/** Largest HubSpot batch (the simulator's batchMaxInputs, HubSpot's documented 100). */
const HUBSPOT_BATCH = 100;

/** A stack whose Zoho holds `records` hot contacts and whose HubSpot is empty, at HubSpot's 100 requests/10 s. */
export async function startBackfillStack(base: StackBase, records: number, profile: LimitProfile = HUBSPOT_100_PER_10S): Promise<BenchStack> {
  return startBenchStack({
    ...base,
    profile,
    prepare: async ({ zohoUrl }) => {
      progress(`  seeding ${records} hot Zoho contacts`);
      await seedHotZohoContacts(zohoUrl, records);
    },
  });
}

export interface BackfillFigures extends Figures {
  records: number;
  created: number | null;
  /** records the backfill added to HubSpot (counted in the simulator) */
  inHubspot: number;
  elapsedSeconds: number;
  /** false when it was cancelled at its time limit (scenario 5): the figures then cover the part it did */
  completed: boolean;
  recordsPerSecond: number;
  ceilingRecordsPerSecond: number;
  fractionOfCeiling: number | null;
  hubspot429s: number;
  zoho429s: number;
  hubspotCallsByRoute: Record<string, number>;
  /** HubSpot requests per second, and as a fraction of the limit: how much of the quota the backfill turned into records */
  hubspotRequestsPerSecond: number;
  fractionOfHubspotLimit: number | null;
  final: BackfillRun['progress'];
}

/** What a backfill loads into HubSpot: its input, and the HubSpot object it fills (counted in the simulator). */
export interface BackfillSource {
  input: BackfillInput;
  hubspotObject: 'contacts' | 'deals';
}

const ZOHO_CONTACTS: BackfillSource = { input: { from: 'zoho', object: 'contact' }, hubspotObject: 'contacts' };

/** Runs a backfill into HubSpot (Zoho contacts unless told) to completion and reports its throughput against HubSpot's ceiling. */
export async function measureBackfill(stack: BenchStack, records: number, label: string, maxSeconds?: number, source: BackfillSource = ZOHO_CONTACTS): Promise<BackfillFigures> {
  const before = await Promise.all([fetchCallCounts(stack.hubspot.url), fetchCallCounts(stack.zoho.url)]);
  const alreadyInHubspot = await countHubspotRecords(stack.hubspot.url, source.hubspotObject);
  const run = await runBackfill(stack, source.input, label, maxSeconds);
  const after = await Promise.all([fetchCallCounts(stack.hubspot.url), fetchCallCounts(stack.zoho.url)]);
  const [hubspot, zoho] = [callDelta(before[0], after[0]), callDelta(before[1], after[1])];
  const inHubspot = (await countHubspotRecords(stack.hubspot.url, source.hubspotObject)) - alreadyInHubspot;
  const elapsedSeconds = (run.finishedAt - run.startedAt) / 1000;
  const created = run.progress?.created ?? null;
  const recordsPerSecond = inHubspot / elapsedSeconds;
  const limit = (stack.profile.hubspot.rateLimit?.perTenSeconds ?? 100) / 10;
  const ceiling = limit * HUBSPOT_BATCH;
  const hubspotRequestsPerSecond = Object.values(hubspot.byRoute).reduce((sum, n) => sum + n, 0) / elapsedSeconds;
  return {
    records,
    created,
    inHubspot,
    elapsedSeconds: round(elapsedSeconds),
    completed: run.progress?.state === 'done',
    recordsPerSecond: round(recordsPerSecond),
    ceilingRecordsPerSecond: ceiling,
    fractionOfCeiling: ratio(recordsPerSecond, ceiling),
    hubspot429s: hubspot.rateLimited,
    zoho429s: zoho.rateLimited,
    hubspotCallsByRoute: hubspot.byRoute,
    hubspotRequestsPerSecond: round(hubspotRequestsPerSecond, 2),
    fractionOfHubspotLimit: ratio(hubspotRequestsPerSecond, limit),
    final: run.progress,
  };
}

export function backfillRows(figures: BackfillFigures): TableRow[] {
  return [
    { metric: 'records/s (fraction of ceiling)', value: `${num(figures.recordsPerSecond)} (${num(figures.fractionOfCeiling, 3)} of ${figures.ceilingRecordsPerSecond})` },
    { metric: 'HubSpot requests/s (fraction of limit)', value: `${num(figures.hubspotRequestsPerSecond, 2)} (${num(figures.fractionOfHubspotLimit, 3)} of ${figures.ceilingRecordsPerSecond / HUBSPOT_BATCH})` },
    { metric: 'records in HubSpot / elapsed', value: `${figures.inHubspot} / ${num(figures.elapsedSeconds)} s` },
    { metric: '429s received (HubSpot / Zoho)', value: `${figures.hubspot429s} / ${figures.zoho429s}` },
  ];
}

const HubspotRecords = z.array(z.looseObject({ archived: z.boolean().optional() }));

export async function countHubspotRecords(hubspotUrl: string, object: BackfillSource['hubspotObject']): Promise<number> {
  const response = await fetch(`${hubspotUrl}/_sim/records/${object}`);
  return HubspotRecords.parse(await response.json()).filter((r) => !r.archived).length;
}

/** Scenario 4: 20,000 hot Zoho contacts into an empty HubSpot at 100 requests/10 s. */
export const backfillScenario: Scenario = {
  name: 'backfill',
  summary: 'hot Zoho contacts into an empty HubSpot at 100 requests/10 s: records/s against the ceiling, 429s',
  async run({ base, options }) {
    progress(`backfill: ${options.backfillRecords} contacts`);
    const stack = await startBackfillStack(base, options.backfillRecords);
    try {
      const figures = await measureBackfill(stack, options.backfillRecords, 'zoho-contacts');
      return { figures: { ...figures, limits: HUBSPOT_100_PER_10S.name }, rows: backfillRows(figures) };
    } finally {
      await stack.close();
    }
  },
};
