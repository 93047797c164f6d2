/**
 * Runs `stops` last to first (each once), every one of them even when one before failed: a broker or server left
 * running would hold its port and data at the next start. Rethrows the first failure afterwards.
 */
export async function stopInReverse(stops: (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * A part started in parallel with others, its stop listed before it is up: the stop waits for the start to settle
 * and stops what started, so a failure elsewhere meanwhile leaves nothing running. A failed start is the caller's
 * to see through `started`; the stop then has nothing to do.
 */
export function startingPart<T>(start: Promise<T>, stop: (part: T) => Promise<void>): { started: Promise<T>; stop: () => Promise<void> } {
  const settled = start.then(
    (part) => ({ part }),
    () => undefined,
  );
  return {
    started: start,
    stop: async () => {
      const result = await settled;
      if (result) await stop(result.part);
    },
  };
}
