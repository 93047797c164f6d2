import { waitFor } from './wait-for';

/**
 * Waits until both CRMs have seen no request for a quiet period: the webhooks of our own writes have arrived and
 * their workflows have run, so "nothing more happens" is observable.
 */
export async function settle(...sims: { stats: () => Promise<{ requests: { total: number } }> }[]): Promise<void> {
  await settleWithin(30_000, ...sims);
}

/** settle(), for a caller that knows the CRMs have a long tail of work left (a backfill's, under rate limits). */
export async function settleWithin(timeoutMs: number, ...sims: { stats: () => Promise<{ requests: { total: number } }> }[]): Promise<void> {
  let last = -1;
  let quietSince = Date.now();
  await waitFor(async () => {
    const total = (await Promise.all(sims.map((sim) => sim.stats()))).reduce((sum, s) => sum + s.requests.total, 0);
    if (total !== last) {
      last = total;
      quietSince = Date.now();
    }
    return Date.now() - quietSince >= 1500;
  }, 'the CRMs to go quiet', timeoutMs, 100);
}
