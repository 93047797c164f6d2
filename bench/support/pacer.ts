/**
 * Fires `fire(i)` on a steady schedule: call i is due at start + i / rate. Open loop: a slow call never delays the
 * next one (waiting for it would hide exactly the queueing a latency benchmark must show). Stops when `stop()` says
 * so or after `count` calls, then waits for the calls in flight.
 */
export async function paced(options: { ratePerSecond: number; count?: number; stop?: () => boolean }, fire: (index: number) => Promise<void>): Promise<number> {
  const intervalMs = 1000 / options.ratePerSecond;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  let index = 0;
  for (; options.count === undefined || index < options.count; index++) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (options.stop?.()) break;
    const call = fire(index).finally(() => inFlight.delete(call));
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  return index;
}

/** Runs `work` over items with at most `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) await work(item, i);
    }
  });
  await Promise.all(lanes);
}
