/** Polls until `check` holds; fails with what it was waiting for. Tests await conditions, never fixed sleeps. */
export async function waitFor<T>(check: () => Promise<T | false | null | undefined> | T | false | null | undefined, what: string, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Until the API's /readyz answers 200: a worker heartbeating on every task queue, the Zoho channel registered, the
 * shop listener consuming. Before the listener has declared our queues the shop's events have nowhere to go, and the
 * broker drops them.
 */
export async function waitForReady(apiUrl: string, timeoutMs = 30_000, intervalMs?: number): Promise<void> {
  await waitFor(async () => (await fetch(`${apiUrl}/readyz`)).status === 200, `${apiUrl}/readyz to answer 200`, timeoutMs, intervalMs);
}
