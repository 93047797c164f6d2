import { setMaxListeners } from 'node:events';
import type { Connection } from '@temporalio/client';

/** A call to Temporal that did not complete within its bound (server down, unreachable, or too slow). */
export class TemporalDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`Temporal did not answer within ${deadlineMs} ms`);
    this.name = 'TemporalDeadlineError';
  }
}

/**
 * Runs `fn`'s Temporal calls with a hard bound on the total time. A gRPC deadline alone does not bound it: the client's
 * retry interceptor retries UNAVAILABLE with backoff (0.1 s growing ×1.7), and a backoff sleep that starts before the
 * deadline ends after it, so a 4 s deadline answered after 5-6.3 s. Here the caller gets TemporalDeadlineError at
 * `ms`; the calls still in flight are cancelled (an in-flight signal that lands anyway is harmless: it is idempotent
 * for the record workflow, which re-reads the record).
 */
export async function withinDeadline<T>(connection: Connection, ms: number, fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  // Every call under the bound listens to it (a delivery signals tens of records at once), and only until the bound is
  // dropped: Node's default of 10 listeners would warn of a leak in the operators' log at each large delivery.
  setMaxListeners(0, abort.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new TemporalDeadlineError(ms));
    }, ms);
  });
  const call = connection.withAbortSignal(abort.signal, () => connection.withDeadline(Date.now() + ms, fn));
  // The losing side of the race must not surface as an unhandled rejection.
  call.catch(() => undefined);
  try {
    return await Promise.race([call, expired]);
  } finally {
    clearTimeout(timer);
  }
}
