import type { LinkedContact } from './linked-pool';
import { paced } from './pacer';
import { simAdmins } from './sims';
import type { BenchStack } from './stack';

export type Direction = 'hubspot-to-zoho' | 'zoho-to-hubspot';

export interface LiveLoadOptions {
  pool: readonly LinkedContact[];
  direction: Direction;
  ratePerSecond: number;
  /** run for this long, or until stop() says so */
  durationMs?: number;
  stop?: () => boolean;
  /** an edit not seen on the other side after this long counts as lost */
  timeoutMs: number;
  /** makes every edited value unique across runs */
  label: string;
}

export interface LiveLoadResult {
  direction: Direction;
  targetRate: number;
  /** edits made (the denominator of calls per edit) */
  edits: number;
  /** how long edits were being sent (the achieved rate is edits / this) */
  sendingMs: number;
  /** ms from sending the edit to the value written in the other CRM */
  latencies: number[];
  timedOut: number;
  /** slots skipped because every pool record still had an edit in flight (the system is behind) */
  skippedBusy: number;
  failedEdits: number;
}

/**
 * Edits the job title of linked contacts as a person would (through /_sim/ui), at a steady rate, in one direction,
 * and times each edit until the other CRM has the value. A record gets its next edit only once its previous one has
 * arrived, so that every measured value is distinct and observable.
 */
export async function runLiveLoad(stack: BenchStack, options: LiveLoadOptions): Promise<LiveLoadResult> {
  const { hubspot, zoho } = simAdmins({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  const result: LiveLoadResult = { direction: options.direction, targetRate: options.ratePerSecond, edits: 0, sendingMs: 0, latencies: [], timedOut: 0, skippedBusy: 0, failedEdits: 0 };
  const busy = new Set<number>();
  let cursor = 0;
  const nextIdle = (): number | null => {
    for (let tried = 0; tried < options.pool.length; tried++) {
      const index = cursor++ % options.pool.length;
      if (!busy.has(index)) return index;
    }
    return null;
  };
  const started = Date.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  let stoppedAt: number | null = null;
  const stop = () => {
    stoppedAt ??= Date.now() >= deadline || (options.stop?.() ?? false) ? Date.now() : null;
    return stoppedAt !== null;
  };
  await paced({ ratePerSecond: options.ratePerSecond, stop }, async (seq) => {
    const index = nextIdle();
    const record = index === null ? undefined : options.pool[index];
    if (index === null || !record) {
      result.skippedBusy++;
      return;
    }
    busy.add(index);
    const value = `${options.label} ${seq}`;
    const sentAt = Date.now();
    try {
      // The waiter is registered before the edit is sent: the change cannot slip past unobserved.
      const arrival =
        options.direction === 'hubspot-to-zoho'
          ? stack.watch.waitForZoho('Contacts', record.zohoId, (c) => c.operation === 'update' && c.fields.includes('Title') && c.at >= sentAt, options.timeoutMs)
          : stack.watch.waitForHubspot('contact', record.hubspotId, (c) => c.property === 'jobtitle' && c.value === value && c.source === 'INTEGRATION', options.timeoutMs);
      try {
        if (options.direction === 'hubspot-to-zoho') await hubspot.update('contacts', record.hubspotId, { jobtitle: value });
        else await zoho.update('Contacts', record.zohoId, { Title: value });
      } catch {
        result.failedEdits++;
        return;
      }
      result.edits++;
      const change = await arrival;
      if (change) result.latencies.push(change.at - sentAt);
      else result.timedOut++;
    } finally {
      busy.delete(index);
    }
  });
  result.sendingMs = (stoppedAt ?? Date.now()) - started;
  return result;
}
