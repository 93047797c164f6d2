import { zohoAdmin } from '../../test/support/sim-client';

/** How often the simulator's queue is looked at: a backlog that lasts less than this is not worth a figure. */
const SAMPLE_MS = 250;

/**
 * `work`, and the most notifications (Zoho: callbacks) the simulator held undelivered at once meanwhile (GET
 * /_sim/stats webhooks.queued). The Zoho simulator sends a channel's callbacks one at a time, so a receiver slower
 * than the edits shows here as a queue that grows, and each edit waits in it before the hub hears of it at all.
 */
export async function withNotificationBacklog<T>(simUrl: string, work: () => Promise<T>): Promise<{ result: T; peakQueued: number }> {
  const sim = zohoAdmin(simUrl);
  let peakQueued = 0;
  let stopped = false;
  const sampling = (async () => {
    try {
      while (!stopped) {
        peakQueued = Math.max(peakQueued, (await sim.stats()).webhooks.queued);
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    } catch {
      // a simulator that stops answering fails the run's own calls, which say why better than a sample would
    }
  })();
  try {
    const result = await work();
    return { result, peakQueued };
  } finally {
    stopped = true;
    await sampling;
  }
}
