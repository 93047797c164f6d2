import { Context } from '@temporalio/activity';

/**
 * Wraps every function of an activity object so that it heartbeats every `everyMs` while it runs. With a heartbeat
 * timeout on the calling side, Temporal retries an activity whose worker died within that timeout instead of waiting
 * out the whole start-to-close timeout. A call that ends before the first beat costs no heartbeat at all.
 */
export function heartbeating<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T, everyMs: number): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      const context = Context.current();
      const timer = setInterval(() => context.heartbeat(), everyMs);
      try {
        return await fn(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}
