import DataLoader from 'dataloader';

/**
 * At most this many keys per gathered statement, so that one never holds the worker's thread (PGlite) or a
 * transaction's locks (Postgres) for long. A call of this many keys or more is a page already (a backfill's, a
 * notification's) and runs as one statement of its own.
 */
const MAX_KEYS_PER_CALL = 200;

/**
 * One batch in flight at a time; the next one waits for it, and every call made meanwhile joins the next. An idle
 * store answers a lone call at once (after the calls made in the same turn of the event loop, which join it), and a
 * busy one gathers more calls per statement the busier it is.
 */
function oneBatchInFlight() {
  let busy = false;
  const queued: (() => void)[] = [];
  const run = (dispatch: () => void): void => {
    if (busy) queued.push(dispatch);
    else dispatch();
  };
  return {
    schedule: (dispatch: () => void) => setImmediate(() => run(dispatch)),
    async around<T>(batch: () => Promise<T>): Promise<T> {
      busy = true;
      try {
        return await batch();
      } finally {
        busy = false;
        const next = queued.shift();
        if (next) run(next);
      }
    },
  };
}

/**
 * Concurrent calls of one kind of store call, made by different record workflows' passes, answered by one call of its
 * set-based form: every statement runs synchronously on the worker's thread under PGlite, and the passes one CRM batch
 * call answers reach the store together. Nothing is cached: each call is answered by a statement that starts after it
 * was made, as fresh as a call of its own. `many` answers in key order, an Error in the place of a key failing only
 * that key's caller; a throw fails every caller of the batch (the database is down: each retries).
 */
export function gatherCalls<K, V>(many: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): (keys: readonly K[]) => Promise<V[]> {
  const flight = oneBatchInFlight();
  const loader = new DataLoader<K, V>((keys) => flight.around(() => many(keys)), {
    cache: false,
    maxBatchSize: MAX_KEYS_PER_CALL,
    batchScheduleFn: flight.schedule,
  });
  return async (keys) => {
    if (keys.length === 0) return [];
    const answers = keys.length >= MAX_KEYS_PER_CALL ? await many(keys) : await loader.loadMany(keys);
    const failed = answers.find((answer): answer is Error => answer instanceof Error);
    if (failed) throw failed;
    return answers as V[];
  };
}
