import { setTimeout as sleep } from 'node:timers/promises';
import { RollingWindowLimiter } from './rolling-window-limiter';

export interface RequestPacer {
  /** Resolves when one more request fits the window; callers are served in arrival order. */
  acquire(): Promise<void>;
}

/**
 * Holds requests in this process so that no more than `limit` start within any `windowMs`, instead of letting the
 * CRM answer 429. The activity task queue's rate limit is the budget shared by every worker (and the one that gives
 * live sync priority), but it counts activities, and an update activity makes two requests (the lost-update re-check
 * and the write): near saturation the queue alone over-runs HubSpot's rolling window.
 */
export function createRequestPacer(limit: number, windowMs: number): RequestPacer {
  const window = new RollingWindowLimiter(limit, windowMs);
  let queue: Promise<void> = Promise.resolve();
  return {
    acquire() {
      const turn = queue.then(async () => {
        for (let decision = window.take('all'); !decision.allowed; decision = window.take('all')) {
          await sleep(decision.retryAfterMs + 1);
        }
      });
      queue = turn;
      return turn;
    },
  };
}
