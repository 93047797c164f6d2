import type { CrmObject } from '../domain/records';
import { currentRequestContext, DEFAULT_REQUEST_PRIORITY, withRequestContext, type GrantedSlot, type RequestContext } from './http/request-context';
import { BATCH_LIMIT } from './types';

/** One call's answer within a batch: a refusal of one record fails only its own caller. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A CRM call that has a batch form, as the gatherer needs it. */
export interface BatchableCall<A, R> {
  /** What makes two calls the same: the record's id, or its match keys. */
  keyOf(arg: A): string;
  /**
   * Calls with the same key in one gathering: `share` answers them all with one call (reads: the answer is as fresh
   * for each, since every caller asked before it was sent); `next-batch` sends the later one in a later batch
   * (writes: both CRMs refuse one record twice in one batch, and each write must be applied).
   */
  sameKey: 'share' | 'next-batch';
  one(object: CrmObject, arg: A): Promise<R>;
  /** Answers in input order; throws only what fails the whole request (429, 5xx, auth), for every caller. */
  many(object: CrmObject, args: A[]): Promise<Settled<R>[]>;
  /** The batch form is used only for more calls than this: below it, single calls cost no more requests. */
  singleCallsUpTo(object: CrmObject): number;
}

export interface GathererOptions {
  /** how long the first call of a batch waits for others to join it */
  windowMs?: number;
  /** batches of one object under way at once; calls made meanwhile wait and join the next batch */
  maxInFlight?: number;
  /**
   * The CRM's request budget for this call on `object` (CrmConnector.awaitRequestSlot), null where there is none: a
   * batch is taken only once it grants a slot, so the calls made while the budget is spent join that batch rather than
   * queue behind it in one of their own.
   */
  awaitSlot?: (object: CrmObject) => Promise<GrantedSlot> | null;
}

/**
 * A few milliseconds: concurrent record workflows' passes reach the worker within that of each other, and a lone call
 * pays it only once.
 */
const DEFAULT_WINDOW_MS = 3;

/**
 * Two: one batch's wait cannot hold up calls for long, and when the CRM's requests queue in the connector's own pacer
 * (HubSpot's rolling window) both batches wait there while every call made meanwhile gathers into the next one, so a
 * saturated budget is spent on many records per request rather than one.
 */
const DEFAULT_MAX_IN_FLIGHT = 2;

interface Waiter<R> {
  resolve(value: R): void;
  reject(error: unknown): void;
}

interface Entry<A, R> {
  key: string;
  arg: A;
  waiters: Waiter<R>[];
  /** the caller's; for several callers, the most urgent priority of theirs */
  context: RequestContext;
  /** when its first caller asked */
  since: number;
}

const priorityOf = (context: RequestContext | undefined): number => context?.priority ?? DEFAULT_REQUEST_PRIORITY;

/** As urgent as the most urgent call, as old as the oldest; never dropped for one caller that gave up, since it answers the others too. */
const contextOf = (entries: { context: RequestContext; since: number }[]): RequestContext => ({
  priority: Math.min(...entries.map((entry) => priorityOf(entry.context))),
  since: Math.min(...entries.map((entry) => entry.since)),
});

interface Gathering<A, R> {
  /** calls made and not yet sent, in the order they were made */
  waiting: Entry<A, R>[];
  /** the waiting entry of each key, where calls with the same key share one */
  shared: Map<string, Entry<A, R>>;
  timer: NodeJS.Timeout | null;
  inFlight: number;
  /** a slot asked of the budget and not yet granted */
  awaitingSlot: boolean;
}

/**
 * Gathers concurrent calls of one kind and object into the CRM's batch call, per connector: one request for up to
 * BATCH_LIMIT records instead of one per record. Nothing is cached between batches: every call is answered by a
 * request sent after it was made, so a read sees the record as fresh as a single read would (the lost-update re-check
 * depends on that). Requests still go through the connector, so its pacing and typed errors apply unchanged.
 */
export function createCallGatherer<A, R>(call: BatchableCall<A, R>, options: GathererOptions = {}): (object: CrmObject, arg: A) => Promise<R> {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const gatherings = new Map<CrmObject, Gathering<A, R>>();

  const gatheringOf = (object: CrmObject): Gathering<A, R> => {
    let gathering = gatherings.get(object);
    if (!gathering) {
      gathering = { waiting: [], shared: new Map(), timer: null, inFlight: 0, awaitingSlot: false };
      gatherings.set(object, gathering);
    }
    return gathering;
  };

  const settle = (entry: Entry<A, R>, outcome: Settled<R> | undefined): void => {
    for (const waiter of entry.waiters) {
      if (outcome === undefined) waiter.reject(new Error('batch call answered fewer records than it was given'));
      else if (outcome.ok) waiter.resolve(outcome.value);
      else waiter.reject(outcome.error);
    }
  };

  // Each call's request is its callers', not that of whichever call happened to start the batch.
  // The granted slot, if any, goes to the first call's request; the others wait for slots of their own.
  const oneByOne = (object: CrmObject, batch: Entry<A, R>[], granted?: GrantedSlot): Promise<unknown> =>
    Promise.all(
      batch.map(async (entry, index) => {
        const context = { ...entry.context, since: entry.since, ...(index === 0 && granted ? { granted } : {}) };
        try {
          settle(entry, { ok: true, value: await withRequestContext(context, () => call.one(object, entry.arg)) });
        } catch (error) {
          settle(entry, { ok: false, error });
        }
      }),
    );

  const together = async (object: CrmObject, batch: Entry<A, R>[], granted?: GrantedSlot): Promise<void> => {
    let outcomes: Settled<R>[];
    try {
      outcomes = await withRequestContext({ ...contextOf(batch), ...(granted ? { granted } : {}) }, () => call.many(object, batch.map((entry) => entry.arg)));
    } catch (error) {
      for (const entry of batch) settle(entry, { ok: false, error });
      return;
    }
    batch.forEach((entry, index) => settle(entry, outcomes[index]));
  };

  /** The next batch: the oldest calls, at most one per key, up to the CRMs' batch limit. */
  const takeBatch = (gathering: Gathering<A, R>): Entry<A, R>[] => {
    const batch: Entry<A, R>[] = [];
    const keys = new Set<string>();
    const left: Entry<A, R>[] = [];
    for (const entry of gathering.waiting) {
      if (batch.length < BATCH_LIMIT && !keys.has(entry.key)) {
        batch.push(entry);
        keys.add(entry.key);
        gathering.shared.delete(entry.key);
      } else left.push(entry);
    }
    gathering.waiting = left;
    return batch;
  };

  const dispatch = (object: CrmObject, gathering: Gathering<A, R>, granted?: GrantedSlot): void => {
    const batch = takeBatch(gathering);
    const run = batch.length > call.singleCallsUpTo(object) ? together : oneByOne;
    gathering.inFlight += 1;
    void run(object, batch, granted).finally(() => {
      gathering.inFlight -= 1;
      send(object, gathering);
    });
  };

  const send = (object: CrmObject, gathering: Gathering<A, R>): void => {
    if (gathering.timer !== null) clearTimeout(gathering.timer);
    gathering.timer = null;
    // One slot asked at a time: two granted together would split between them the calls one request could carry.
    while (!gathering.awaitingSlot && gathering.waiting.length > 0 && gathering.inFlight < maxInFlight) {
      const { awaitSlot } = options;
      const slot = awaitSlot ? withRequestContext(contextOf(gathering.waiting), () => awaitSlot(object)) : null;
      if (!slot) {
        dispatch(object, gathering);
        continue;
      }
      gathering.awaitingSlot = true;
      void slot.then(
        (granted) => {
          gathering.awaitingSlot = false;
          dispatch(object, gathering, granted);
          send(object, gathering);
        },
        (error: unknown) => {
          gathering.awaitingSlot = false;
          for (const entry of gathering.waiting.splice(0)) settle(entry, { ok: false, error });
          gathering.shared.clear();
        },
      );
    }
  };

  return (object, arg) =>
    new Promise<R>((resolve, reject) => {
      const gathering = gatheringOf(object);
      const key = call.keyOf(arg);
      const context = currentRequestContext() ?? {};
      const shared = gathering.shared.get(key);
      if (shared) {
        shared.waiters.push({ resolve, reject });
        // answered to several callers now: no longer dropped when the first one gives up
        shared.context = { priority: Math.min(priorityOf(context), priorityOf(shared.context)) };
        shared.since = Math.min(shared.since, context.since ?? Date.now());
      } else {
        const entry = { key, arg, waiters: [{ resolve, reject }], context, since: context.since ?? Date.now() };
        gathering.waiting.push(entry);
        if (call.sameKey === 'share') gathering.shared.set(key, entry);
      }
      // A full batch has nothing left to wait for.
      if (gathering.waiting.length >= BATCH_LIMIT) send(object, gathering);
      else gathering.timer ??= setTimeout(() => send(object, gathering), windowMs);
    });
}
