import { isGrpcServiceError } from '@temporalio/client';
import type { Logger } from '../../../logger';

export interface Backoff {
  /** the wait after the first failure; it doubles with each further one */
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 30_000 };

/** The listener is closing: the message being handed over goes back to the queue, unacknowledged. */
export class ListenerClosingError extends Error {
  readonly retryable = true;
  constructor() {
    super('listener closing; message returned to the queue');
    this.name = 'ListenerClosingError';
  }
}

/** Temporal answered that the call itself is wrong: no retry can succeed, so the message is dead-lettered. */
export class HandOverRefusedError extends Error {
  readonly retryable = false;
  constructor(cause: unknown) {
    super(`Temporal refused the hand-over: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HandOverRefusedError';
  }
}

const GRPC_INVALID_ARGUMENT = 3;

/**
 * Hands messages to Temporal for every handler of one consumer, with one backoff for them all: while Temporal is
 * unreachable each handler keeps its message unacknowledged and waits (the bounded prefetch then stops further
 * deliveries) instead of requeueing it, which would spin the same messages through the broker in a hot loop and count
 * each round against the queue's delivery limit. The first success ends the outage for every waiting handler.
 * A message held past the broker's consumer timeout (30 min by default) makes the broker close the channel; the client
 * opens another and the messages come again, each such round counted against the delivery limit, so an outage longer
 * than about limit × timeout ends in the dead-letter queue (x-death reason delivery_limit), not in a loss.
 */
export class HandOverGate {
  private failures = 0;
  private lastFailureAt = 0;
  private nextTryAt = 0;

  constructor(
    private readonly backoff: Backoff,
    private readonly closing: AbortSignal,
    private readonly logger: Logger,
    private readonly onRetry: () => void,
  ) {}

  /** Runs `call` until it succeeds; throws HandOverRefusedError when retrying cannot help, ListenerClosingError on close. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.waitTurn();
      const startedAt = Date.now();
      try {
        const result = await call();
        if (this.failures > 0) this.logger.info({ failures: this.failures }, 'Temporal accepts hand-overs again');
        this.failures = 0;
        this.nextTryAt = 0;
        return result;
      } catch (error) {
        if (this.closing.aborted) throw new ListenerClosingError();
        if (isRefusal(error)) throw new HandOverRefusedError(error);
        this.failed(startedAt, error);
      }
    }
  }

  private failed(startedAt: number, error: unknown): void {
    this.onRetry();
    // Handlers that were in flight together fail together: only an attempt made after the last failure was known
    // lengthens the wait, so sixteen lanes do not multiply the backoff by sixteen.
    if (startedAt < this.lastFailureAt) return;
    this.lastFailureAt = Date.now();
    this.failures += 1;
    const ceiling = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.failures - 1));
    const delay = Math.round(ceiling * (0.8 + Math.random() * 0.4));
    this.nextTryAt = this.lastFailureAt + delay;
    // Once per step of the backoff, not per message: an outage would otherwise log a line per held message.
    this.logger.warn({ err: errorSummary(error), failures: this.failures, retryInMs: delay }, 'Temporal did not accept a broker message; holding it unacknowledged');
  }

  private async waitTurn(): Promise<void> {
    if (this.closing.aborted) throw new ListenerClosingError();
    const wait = this.nextTryAt - Date.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ListenerClosingError());
      };
      const timer = setTimeout(() => {
        this.closing.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      this.closing.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** INVALID_ARGUMENT is about the request, not the server's state; anything else may pass once Temporal is back. */
function isRefusal(error: unknown): boolean {
  const candidates = [error, error instanceof Error ? error.cause : undefined];
  return candidates.some((candidate) => isGrpcServiceError(candidate) && Number(candidate.code) === GRPC_INVALID_ARGUMENT);
}

export function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
