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
