import { TransientCrmError } from '../errors';
import { BACKFILL_PRIORITY } from '../../domain/lane';
import { currentRequestContext, DEFAULT_REQUEST_PRIORITY, type GrantedSlot } from './request-context';
import { RollingWindowLimiter } from './rolling-window-limiter';

export interface RequestPacer {
  /**
   * Resolves when one more request fits the window. Waiting requests go by the priority of their RequestContext,
   * then oldest first by `since` (a batch's later requests before batches gathered after it), in arrival order among
   * equals; one whose context's signal aborts while it waits is dropped (a retryable error: whoever
   * retries asks again). Under a context holding an unspent slot this pacer granted it resolves at once and spends it.
   */
  acquire(): Promise<void>;
  /** Waits as `acquire` does, for a slot the first request made under it will spend (RequestContext.granted). */
  grantSlot(): Promise<GrantedSlot>;
}

interface Waiting {
  priority: number;
  since: number;
  resolve(): void;
}

export interface PacerOptions {
  /**
   * The fraction of the budget that requests more urgent than BACKFILL_PRIORITY (live sync, ingress reads) may spend,
   * whether or not bulk work waits (default 1: all of it). Below 1, the rest is always there for a backfill or an
   * initial load, and live calls that come faster than their share gather into batches while they wait.
   */
  liveShare?: number;
}

/** Slots that come back evenly, `burst` at most at once: a token bucket. */
function slotBucket(perWindow: number, windowMs: number) {
  const burst = Math.max(1, Math.floor(perWindow / 10));
  const slotMs = windowMs / perWindow;
  let slots = burst;
  let countedAt = Date.now();
  return {
    /** ms until a slot is free: 0 when one is */
    waitMs(): number {
      const now = Date.now();
      slots = Math.min(burst, slots + (now - countedAt) / slotMs);
      countedAt = now;
      return slots >= 1 ? 0 : Math.ceil((1 - slots) * slotMs);
    },
    take(): void {
      slots -= 1;
    },
  };
}

/**
 * Holds requests in this process so that no more than `limit` start within any `windowMs`, and no more than a tenth of
 * them at once, instead of letting the CRM answer 429. The budget is requests, not activities: calls of many
 * activities wait here together, and gather into batch calls meanwhile (src/connectors/batched-calls.ts), so the
 * activity task queue's rate limit is set well above the request rate, and this is where live sync overtakes a
 * backfill once both wait for HubSpot.
 */
export function createRequestPacer(limit: number, windowMs: number, options: PacerOptions = {}): RequestPacer {
  const window = new RollingWindowLimiter(limit, windowMs);
  // A tenth of the window at once, then evenly spaced: a burst that spent the whole window (a backfill page's
  // requests) would leave a live request waiting seconds for it to roll, which priority cannot help; this way it waits
  // one slot at most behind requests already granted, and calls that come faster than the budget gather meanwhile.
  const all = slotBucket(limit, windowMs);
  const liveShare = Math.min(1, options.liveShare ?? 1);
  const live = liveShare < 1 ? slotBucket(limit * liveShare, windowMs) : null;
  const isLive = (waiting: Waiting) => waiting.priority < BACKFILL_PRIORITY;
  const queue: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;

  const grant = (): void => {
    timer = null;
    while (queue.length > 0) {
      // the most urgent request its share lets go: live ones past their share wait, bulk ones behind them need not
      const liveWaitMs = live?.waitMs() ?? 0;
      const next = queue.findIndex((waiting) => liveWaitMs === 0 || !isLive(waiting));
      const allWaitMs = all.waitMs();
      const decision = next < 0 || allWaitMs > 0 ? null : window.take('all');
      if (!decision?.allowed) {
        timer = setTimeout(grant, next < 0 ? liveWaitMs : decision ? decision.retryAfterMs + 1 : allWaitMs);
        return;
      }
      const [waiting] = queue.splice(next, 1);
      all.take();
      if (waiting && isLive(waiting)) live?.take();
      waiting?.resolve();
    }
  };
  const pacer: RequestPacer = {
    acquire() {
      const context = currentRequestContext();
      const priority = context?.priority ?? DEFAULT_REQUEST_PRIORITY;
      const signal = context?.signal;
      const dropped = () => new TransientCrmError('request dropped before it was sent: its caller gave up');
      if (signal?.aborted) return Promise.reject(dropped());
      if (context?.granted?.by === pacer && !context.granted.spent) {
        context.granted.spent = true;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiting);
          if (index >= 0) queue.splice(index, 1);
          reject(dropped());
        };
        const waiting: Waiting = {
          priority,
          since: context?.since ?? Date.now(),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // after every request of a more urgent priority, or of the same one and as old, that already waits
        const before = queue.findIndex((other) => other.priority > priority || (other.priority === priority && other.since > waiting.since));
        queue.splice(before < 0 ? queue.length : before, 0, waiting);
        // a timer set while only live requests past their share waited may be later than a bulk request need wait
        if (timer !== null && !isLive(waiting)) {
          clearTimeout(timer);
          timer = null;
        }
        if (timer === null) grant();
      });
    },
    async grantSlot() {
      await pacer.acquire();
      return { by: pacer, spent: false };
    },
  };
  return pacer;
}
