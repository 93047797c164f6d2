import { TransientCrmError } from '../../../src/connectors/errors';
import { withRequestContext } from '../../../src/connectors/http/request-context';
import { createRequestPacer } from '../../../src/connectors/http/request-pacer';

describe('Request pacer', () => {
  it('lets the waiting requests through in priority order, then in arrival order, a few at once then evenly spaced, within the window', async () => {
    const WINDOW_MS = 400;
    const pacer = createRequestPacer(2, WINDOW_MS);
    const started = Date.now();
    await pacer.acquire();
    await pacer.acquire();

    const granted: string[] = [];
    const waitFor = (name: string, priority?: number) =>
      withRequestContext(priority === undefined ? {} : { priority }, () => pacer.acquire()).then(() => {
        granted.push(name);
        return Date.now() - started;
      });
    const bulk = [waitFor('bulk-1', 5), waitFor('bulk-2', 5)];
    const unattributed = waitFor('unattributed');
    const live = waitFor('live', 1);
    const times = await Promise.all([live, unattributed, ...bulk]);

    expect(granted).toEqual(['live', 'unattributed', 'bulk-1', 'bulk-2']);
    // two per window, a tenth of it at once (one, here), then evenly spaced: never two within half a window
    const spacing = WINDOW_MS / 2;
    expect(times[0]).toBeGreaterThanOrEqual(WINDOW_MS);
    for (let k = 1; k < times.length; k++) expect((times[k] ?? 0) - (times[k - 1] ?? 0)).toBeGreaterThanOrEqual(spacing - 1);
  });

  it("drops a waiting request whose caller gave up, with a retryable error, and keeps its place for the others", async () => {
    const WINDOW_MS = 300;
    const pacer = createRequestPacer(1, WINDOW_MS);
    await pacer.acquire();
    const controller = new AbortController();
    const abandoned = withRequestContext({ priority: 1, signal: controller.signal }, () => pacer.acquire()).then(
      () => 'sent',
      (error: unknown) => error,
    );
    const other = withRequestContext({ priority: 5 }, () => pacer.acquire()).then(() => 'sent');
    controller.abort();
    const dropped = await abandoned;
    expect(dropped).toBeInstanceOf(TransientCrmError);
    expect((dropped as TransientCrmError).retryable).toBe(true);
    expect(await other).toBe('sent');

    const late = new AbortController();
    late.abort();
    await expect(withRequestContext({ signal: late.signal }, () => pacer.acquire())).rejects.toBeInstanceOf(TransientCrmError);
  });
});
