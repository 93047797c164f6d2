import { mulberry32 } from '../../src/sandbox/common/seeded-random';
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
  /**
   * Per pool record (by index), the number of the last edit sent to it, or null when it got none or the send of its
   * last one failed (whether that edit was made is then unknown): what the record must hold at rest.
   */
  lastSeq: (number | null)[];
}

export interface LiveLoadResult extends PoolLoadResult {
  direction: Direction;
  /** per pool record, the job title its last edit set, as the one it may hold at rest (null: see lastSeq) */
  accepted: (string[] | null)[];
}

/**
 * Edits the job title of linked contacts as a person would (through /_sim/ui), at a steady rate, in one direction,
 * and times each edit until the other CRM has the value.
 */
export async function runLiveLoad(stack: BenchStack, options: LiveLoadOptions): Promise<LiveLoadResult> {
  const value = (seq: number) => `${options.label} ${seq}`;
  const send = titleEditor(stack, options.direction === 'hubspot-to-zoho' ? 'hubspot' : 'zoho');
  const edit: TimedEdit<LinkedContact> = {
    arrival:
      options.direction === 'hubspot-to-zoho'
        ? (record, _seq, sentAt, timeoutMs) => stack.watch.waitForZoho('Contacts', record.zohoId, (c) => c.operation === 'update' && c.fields.includes('Title') && c.at >= sentAt, timeoutMs)
        : (record, seq, _sentAt, timeoutMs) => stack.watch.waitForHubspot('contact', record.hubspotId, (c) => c.property === 'jobtitle' && c.value === value(seq) && c.source === 'INTEGRATION', timeoutMs),
    send: (record, seq) => send(record, value(seq)),
  };
  const result = await runPoolLoad(options, edit);
  return { direction: options.direction, ...result, accepted: result.lastSeq.map((seq) => (seq === null ? null : [value(seq)])) };
}

/** A person's edit of a linked contact's job title in one CRM's UI. */
function titleEditor(stack: BenchStack, side: 'hubspot' | 'zoho'): (record: LinkedContact, title: string) => Promise<void> {
  const { hubspot, zoho } = simAdmins({ hubspotUrl: stack.hubspot.url, zohoUrl: stack.zoho.url });
  return side === 'hubspot'
    ? async (record, title) => void (await hubspot.update('contacts', record.hubspotId, { jobtitle: title }, ownerOf(record)))
    : async (record, title) => void (await zoho.update('Contacts', record.zohoId, { Title: title }));
}

const BOTH_WAYS_SEED = 0x2545f491;

/** Two edits of one record closer than this are a tie: Zoho stamps a change to the second. */
const TIE_MS = 2_000;

export interface BothWaysResult {
  targetRate: number;
  edits: number;
  sendingMs: number;
  failedEdits: number;
  /** records whose last edits were a tie (more than one may win) */
  ties: number;
  /** per pool record, the job titles it may hold at rest: the newest edit's, both in a tie; null when unknown */
  accepted: (string[] | null)[];
}

export interface SentEdit {
  title: string;
  sentAt: number;
  doneAt: number;
}

/**
 * Edits of the same field of the same records in both CRMs at once, at a steady rate (each edit goes to a record and a
 * CRM drawn at random): concurrent edits on both sides, which the per-direction runs never make. Nothing is timed;
 * what counts is what the pool holds once the CRMs are quiet (at-rest.ts): the newest edit of every record, both sides.
 */
export async function runBothWaysLoad(stack: BenchStack, options: { pool: readonly LinkedContact[]; ratePerSecond: number; durationMs: number; label: string }): Promise<BothWaysResult> {
  const send = { hubspot: titleEditor(stack, 'hubspot'), zoho: titleEditor(stack, 'zoho') };
  const sent = options.pool.map(() => ({ edits: [] as SentEdit[], unknown: false }));
  const result: BothWaysResult = { targetRate: options.ratePerSecond, edits: 0, sendingMs: 0, failedEdits: 0, ties: 0, accepted: [] };
  const started = Date.now();
  const deadline = started + options.durationMs;
  // a fixed draw, so that runs of the same options make the same edits
  const random = mulberry32(BOTH_WAYS_SEED);
  const next = (below: number) => Math.floor(random() * below);
  await paced({ ratePerSecond: options.ratePerSecond, stop: () => Date.now() >= deadline }, async (seq) => {
    const index = next(options.pool.length);
    const side = next(2) === 0 ? 'hubspot' : 'zoho';
    const record = options.pool[index];
    const slot = sent[index];
    if (!record || !slot) return;
    const edit = { title: `${options.label} ${side} ${seq}`, sentAt: Date.now(), doneAt: 0 };
    try {
      await send[side](record, edit.title);
    } catch {
      result.failedEdits++;
      slot.unknown = true;
      return;
    }
    edit.doneAt = Date.now();
    result.edits++;
    slot.edits.push(edit);
  });
  result.sendingMs = Date.now() - started;
  result.accepted = sent.map((slot) => (slot.unknown ? null : newestTitles(slot.edits)));
  result.ties = result.accepted.filter((titles) => titles !== null && titles.length > 1).length;
  return result;
}

/**
 * The job titles a record may hold at rest after `edits` (null: none): the last one sent, and any other answered less
 * than TIE_MS before it was sent, in either CRM (two edits in flight at once may land in either order).
 */
export function newestTitles(edits: readonly SentEdit[]): string[] | null {
  const newest = edits.reduce<SentEdit | null>((latest, edit) => (latest === null || edit.sentAt > latest.sentAt ? edit : latest), null);
  if (!newest) return null;
  return edits.filter((edit) => edit === newest || newest.sentAt - edit.doneAt <= TIE_MS).map((edit) => edit.title);
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
  const result: PoolLoadResult = { targetRate: options.ratePerSecond, edits: 0, sendingMs: 0, latencies: [], timedOut: 0, skippedBusy: 0, failedEdits: 0, lastSeq: options.pool.map(() => null) };
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
        result.lastSeq[index] = null;
        return;
      }
      result.lastSeq[index] = seq;
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
