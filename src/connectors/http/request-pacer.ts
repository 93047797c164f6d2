import { TransientCrmError } from '../errors';
import { currentRequestContext, DEFAULT_REQUEST_PRIORITY } from './request-context';
import { RollingWindowLimiter } from './rolling-window-limiter';

export interface RequestPacer {
  /**
   * Resolves when one more request fits the window. Waiting requests go by the priority of their RequestContext,
   * then in arrival order; one whose context's signal aborts while it waits is dropped (a retryable error: whoever
   * retries asks again).
   */
  acquire(): Promise<void>;
}

interface Waiting {
  priority: number;
  resolve(): void;
}

/**
 * Holds requests in this process so that no more than `limit` start within any `windowMs`, and no more than a tenth of
 * them at once, instead of letting the CRM answer 429. The budget is requests, not activities: calls of many
 * activities wait here together, and gather into batch calls meanwhile (src/connectors/batched-calls.ts), so the
 * activity task queue's rate limit is set well above the request rate, and this is where live sync overtakes a
 * backfill once both wait for HubSpot.
 */
export function createRequestPacer(limit: number, windowMs: number): RequestPacer {
  const window = new RollingWindowLimiter(limit, windowMs);
  // A tenth of the window at once, then evenly spaced: a burst that spent the whole window (a backfill page's
  // requests) would leave a live request waiting seconds for it to roll, which priority cannot help; this way it waits
  // one slot at most behind requests already granted, and calls that come faster than the budget gather meanwhile.
  const burst = Math.max(1, Math.floor(limit / 10));
  const slotMs = windowMs / limit;
  let slots = burst;
  let slotsCountedAt = Date.now();
  const queue: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;

  const grant = (): void => {
    timer = null;
    while (queue.length > 0) {
      const now = Date.now();
      slots = Math.min(burst, slots + (now - slotsCountedAt) / slotMs);
      slotsCountedAt = now;
      const decision = slots < 1 ? null : window.take('all');
      if (!decision?.allowed) {
        timer = setTimeout(grant, decision ? decision.retryAfterMs + 1 : Math.ceil((1 - slots) * slotMs));
        return;
      }
      slots -= 1;
      queue.shift()?.resolve();
    }
  };

  return {
    acquire() {
      const context = currentRequestContext();
      const priority = context?.priority ?? DEFAULT_REQUEST_PRIORITY;
      const signal = context?.signal;
      const dropped = () => new TransientCrmError('request dropped before it was sent: its caller gave up');
      if (signal?.aborted) return Promise.reject(dropped());
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiting);
          if (index >= 0) queue.splice(index, 1);
          reject(dropped());
        };
        const waiting: Waiting = {
          priority,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // after every request of the same or a more urgent priority that already waits
        const before = queue.findIndex((other) => other.priority > priority);
        queue.splice(before < 0 ? queue.length : before, 0, waiting);
        if (timer === null) grant();
      });
    },
  };
}
