import { Context } from '@temporalio/activity';
import { aroundEach, type ActivityFunctions } from './around-each';

/**
 * Wraps every function of an activity object so that it heartbeats every `everyMs` while it runs. With a heartbeat
 * timeout on the calling side, Temporal retries an activity whose worker died within that timeout instead of waiting
 * out the whole start-to-close timeout. A call that ends before the first beat costs no heartbeat at all.
 */
export function heartbeating<T extends ActivityFunctions>(activities: T, everyMs: number): T {
  return aroundEach(activities, async (call) => {
    const context = Context.current();
    // a local activity has no heartbeat: its workflow task's timeout stands for it
    if (context.info.isLocal) return call();
    const timer = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await call();
    } finally {
      clearInterval(timer);
    }
  });
}
