import type { CrmObject, RecordSnapshot } from '../domain/records';
import { BATCH_LIMIT, type CrmConnector } from './types';

/** CrmConnector.get, answered through batch reads where several are asked at once. */
export type RecordReader = (object: CrmObject, id: string) => Promise<RecordSnapshot | null>;

export interface ReadBatcherOptions {
  /** how long the first read of a batch waits for others to join it */
  windowMs?: number;
  /** batch reads of one object under way at once; reads asked meanwhile wait and join the next batch */
  maxInFlight?: number;
}

/**
 * A few milliseconds: concurrent record workflows' passes reach the worker within that of each other, and a lone read
 * pays it only once.
 */
const DEFAULT_WINDOW_MS = 3;

/**
 * Two: one batch's wait cannot hold up reads for long, and when the CRM's requests queue in the connector's own pacer
 * (HubSpot's rolling window) both batches wait there while every read asked meanwhile gathers into the next one, so a
 * saturated budget is spent on reads of many records per request rather than one.
 */
const DEFAULT_MAX_IN_FLIGHT = 2;

interface Waiter {
  resolve(snapshot: RecordSnapshot | null): void;
  reject(error: unknown): void;
}

interface Gathering {
  /** ids asked and not yet sent, with everyone waiting for each (the same id asked twice is read once) */
  waiting: Map<string, Waiter[]>;
  timer: NodeJS.Timeout | null;
  inFlight: number;
}

/**
 * Gathers concurrent reads of one object into getMany, per connector: one request for a batch instead of one per
 * record. Nothing is cached between batches: every read is answered by a request sent after it was asked, so it sees
 * the record as fresh as a get would (the lost-update re-check depends on that). A batch is read with get, record by
 * record, unless getMany costs fewer requests: not for a lone id, nor on HubSpot for as many ids as getMany makes
 * requests (it also reads each reference's associations, which a single GET carries along), where the same number of
 * requests would come one after the other through the pacer instead of side by side. A failed getMany fails every
 * read of its batch with its typed error; a record getMany leaves out is null, as get answers for an absent, archived
 * or deleted record. Requests still go through the connector, so its pacing and typed errors apply unchanged.
 */
export function createReadBatcher(connector: CrmConnector, options: ReadBatcherOptions = {}): RecordReader {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const gatherings = new Map<CrmObject, Gathering>();

  const gatheringOf = (object: CrmObject): Gathering => {
    let gathering = gatherings.get(object);
    if (!gathering) {
      gathering = { waiting: new Map(), timer: null, inFlight: 0 };
      gatherings.set(object, gathering);
    }
    return gathering;
  };

  const readOneByOne = (object: CrmObject, batch: Map<string, Waiter[]>): Promise<unknown> =>
    Promise.all(
      [...batch].map(async ([id, waiters]) => {
        try {
          const snapshot = await connector.get(object, id);
          for (const waiter of waiters) waiter.resolve(snapshot);
        } catch (error) {
          for (const waiter of waiters) waiter.reject(error);
        }
      }),
    );

  const readTogether = async (object: CrmObject, batch: Map<string, Waiter[]>): Promise<void> => {
    let found: Map<string, RecordSnapshot>;
    try {
      found = byAskedId(await connector.getMany(object, [...batch.keys()]));
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      return;
    }
    for (const [id, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(id) ?? null);
  };

  const send = (object: CrmObject, gathering: Gathering): void => {
    if (gathering.timer !== null) clearTimeout(gathering.timer);
    gathering.timer = null;
    while (gathering.waiting.size > 0 && gathering.inFlight < maxInFlight) {
      const batch = new Map([...gathering.waiting].slice(0, BATCH_LIMIT));
      for (const id of batch.keys()) gathering.waiting.delete(id);
      const read = batch.size > (connector.requestsPerGetMany?.(object) ?? 1) ? readTogether : readOneByOne;
      gathering.inFlight += 1;
      void read(object, batch).finally(() => {
        gathering.inFlight -= 1;
        send(object, gathering);
      });
    }
  };

  return (object, id) =>
    new Promise<RecordSnapshot | null>((resolve, reject) => {
      const gathering = gatheringOf(object);
      const waiters = gathering.waiting.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else gathering.waiting.set(id, [{ resolve, reject }]);
      // A full batch has nothing left to wait for.
      if (gathering.waiting.size >= BATCH_LIMIT) send(object, gathering);
      else gathering.timer ??= setTimeout(() => send(object, gathering), windowMs);
    });
}

/**
 * Snapshots by the ids they answer: their own, and the ids merged into them, which a get by such an id answers with
 * the surviving record (HubSpot serves a merged-away id that way).
 */
function byAskedId(snapshots: RecordSnapshot[]): Map<string, RecordSnapshot> {
  const out = new Map<string, RecordSnapshot>();
  for (const snapshot of snapshots) for (const id of snapshot.mergedIds ?? []) out.set(id, snapshot);
  for (const snapshot of snapshots) out.set(snapshot.ref.id, snapshot);
  return out;
}
