import type { LinkedContact } from './linked-pool';
import { paced } from './pacer';
import { simAdmins } from './sims';
import type { BenchStack } from './stack';

export type Direction = 'hubspot-to-zoho' | 'zoho-to-hubspot';

/** How often, for how long and with what patience a pool's records are edited. */
export interface PoolLoadOptions<T> {
  pool: readonly T[];
  ratePerSecond: number;
  /** run for this long, or until stop() says so */
  durationMs?: number;
  stop?: () => boolean;
  /** an edit not seen on the other side after this long counts as lost */
  timeoutMs: number;
}

/** One kind of timed edit: what to watch for, then how to make the edit number `seq` of `record`. */
export interface TimedEdit<T> {
  /** called before send, so that the change cannot slip past unobserved; resolves with when it arrived, or null */
  arrival(record: T, seq: number, sentAt: number, timeoutMs: number): Promise<{ at: number } | null>;
  send(record: T, seq: number): Promise<void>;
}

export interface LiveLoadOptions extends PoolLoadOptions<LinkedContact> {
  direction: Direction;
  /** makes every edited value unique across runs */
  label: string;
}

export interface PoolLoadResult {
  targetRate: number;
  /** edits made (the denominator of calls per edit) */
  edits: number;
  /** how long edits were being sent (the achieved rate is edits / this) */
  sendingMs: number;
  /** ms from sending the edit to its arrival on the other side */
  latencies: number[];
  timedOut: number;
  /** slots skipped because every pool record still had an edit in flight (the system is behind) */
  skippedBusy: number;
  failedEdits: number;
}

export interface LiveLoadResult extends PoolLoadResult {
  direction: Direction;
}

/**
 * Edits the job title of linked contacts as a person would (through /_sim/ui), at a steady rate, in one direction,
 * and times each edit until the other CRM has the value.
 */
export async function runLiveLoad(stack: BenchStack, options: LiveLoadOptions): Promise<LiveLoadResult> {
  const { hubspot, zoho } = simAdmins({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  const value = (seq: number) => `${options.label} ${seq}`;
  const edit: TimedEdit<LinkedContact> =
    options.direction === 'hubspot-to-zoho'
      ? {
          arrival: (record, _seq, sentAt, timeoutMs) => stack.watch.waitForZoho('Contacts', record.zohoId, (c) => c.operation === 'update' && c.fields.includes('Title') && c.at >= sentAt, timeoutMs),
          send: async (record, seq) => void (await hubspot.update('contacts', record.hubspotId, { jobtitle: value(seq) }, ownerOf(record))),
        }
      : {
          arrival: (record, seq, _sentAt, timeoutMs) => stack.watch.waitForHubspot('contact', record.hubspotId, (c) => c.property === 'jobtitle' && c.value === value(seq) && c.source === 'INTEGRATION', timeoutMs),
          send: async (record, seq) => void (await zoho.update('Contacts', record.zohoId, { Title: value(seq) })),
        };
  return { direction: options.direction, ...(await runPoolLoad(options, edit)) };
}

/**
 * The HubSpot user who edits a contact: its owner, one person per contact. Tens of edits a second come from a team, not
 * from one person, and the ingress tells the two apart (more than BULK_DELIVERY_RECORDS records by one author in a
 * delivery is a mass update, which takes the load lane).
 */
function ownerOf(record: LinkedContact): number {
  return 5_000_000 + Number(record.hubspotId);
}

/**
 * Open-loop edits over a pool at a steady rate, each timed until it arrives. A record gets its next edit only once its
 * previous one has arrived, so that every measured value is distinct and observable.
 */
export async function runPoolLoad<T>(options: PoolLoadOptions<T>, edit: TimedEdit<T>): Promise<PoolLoadResult> {
  const result: PoolLoadResult = { targetRate: options.ratePerSecond, edits: 0, sendingMs: 0, latencies: [], timedOut: 0, skippedBusy: 0, failedEdits: 0 };
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
    if (index === null || record === undefined) {
      result.skippedBusy++;
      return;
    }
    busy.add(index);
    const sentAt = Date.now();
    try {
      const arrival = edit.arrival(record, seq, sentAt, options.timeoutMs);
      try {
        await edit.send(record, seq);
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
