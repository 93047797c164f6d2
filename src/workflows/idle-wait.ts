import { condition, sleep } from '@temporalio/workflow';

/** How a record's run waits for its next event, and ends once it has been idle for its timeout. */
export interface IdleWait {
  /** Resolves true once `ready` holds; false when the run has been idle for the timeout (never while `!timesOut`). */
  until(ready: () => boolean, timesOut: boolean): Promise<boolean>;
  /** A pass ended: the idle time counts from now. */
  passed(): void;
}

/** As runs started before `one-idle-timer` wait: a timer per wait, cancelled when an event comes first. */
export function timerPerWait(idleMs: number): IdleWait {
  return {
    async until(ready, timesOut) {
      await (timesOut ? condition(ready, idleMs) : condition(ready));
      return ready();
    },
    passed() {},
  };
}

/**
 * One timer per idle period. An event wakes the run without cancelling its timer, and a timer that fires before the
 * run has been idle long enough is followed by one for the rest. A timer per wait costs an action and two history
 * events (started, cancelled) for every edit of a record whose run is open; this costs one timer per timeout's span.
 */
export function oneIdleTimer(idleMs: number): IdleWait {
  let idleSince = Date.now();
  let timer: 'none' | 'running' | 'fired' = 'none';
  const fire = () => void (timer = 'fired');
  return {
    async until(ready, timesOut) {
      for (;;) {
        if (ready()) return true;
        if (timesOut) {
          const left = idleSince + idleMs - Date.now();
          if (timer === 'fired') {
            if (left <= 0) return false;
            timer = 'none';
          }
          if (timer === 'none') {
            timer = 'running';
            // A cancelled run throws from the wait below; the timer's own cancellation needs no handling.
            void sleep(Math.max(left, 1)).then(fire, () => undefined);
          }
        }
        await condition(() => ready() || (timesOut && timer === 'fired'));
      }
    },
    passed() {
      idleSince = Date.now();
    },
  };
}
