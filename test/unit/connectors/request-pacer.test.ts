import { TransientCrmError } from '../../../src/connectors/errors';
import { withRequestContext } from '../../../src/connectors/http/request-context';
import { createRequestPacer } from '../../../src/connectors/http/request-pacer';

/** How much later than its grant a test may see a request go ahead on a loaded machine. */
const OBSERVED_LATE_MS = 20;

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

  it('lets the oldest of one priority go first: the later requests of a batch gathered earlier pass batches gathered since', async () => {
    const pacer = createRequestPacer(1, 200);
    await pacer.acquire();
    const granted: string[] = [];
    const waitFor = (name: string, since?: number) => withRequestContext({ priority: 1, ...(since === undefined ? {} : { since }) }, () => pacer.acquire()).then(() => void granted.push(name));
    const now = Date.now();
    await Promise.all([waitFor('new batch'), waitFor('earlier batch', now - 1000), waitFor('earlier batch, asked later', now - 1000)]);
    expect(granted).toEqual(['earlier batch', 'earlier batch, asked later', 'new batch']);
  });

  it('keeps live requests to their share of the budget and lets bulk requests through beside them, however many live ones wait', async () => {
    const WINDOW_MS = 400;
    // 4 per window (one every 100 ms), one of them for live requests (one every 400 ms): far enough apart that a late
    // timer cannot change the order
    const pacer = createRequestPacer(4, WINDOW_MS, { liveShare: 0.25 });
    const started = Date.now();
    const granted: { name: string; at: number }[] = [];
    const waitFor = (name: string, priority: number) => withRequestContext({ priority }, () => pacer.acquire()).then(() => void granted.push({ name, at: Date.now() - started }));
    await Promise.all([waitFor('live-1', 1), waitFor('live-2', 1), waitFor('live-3', 3), waitFor('bulk-1', 5), waitFor('bulk-2', 5)]);
    expect(granted.map((g) => g.name)).toEqual(['live-1', 'bulk-1', 'bulk-2', 'live-2', 'live-3']);
    // Seen an event-loop turn after each grant, which a busy machine delays by a few ms; at the whole budget's pace
    // (one every 100 ms) live requests would come a quarter as far apart.
    const live = granted.filter((g) => g.name.startsWith('live')).map((g) => g.at);
    for (let k = 1; k < live.length; k++) expect((live[k] ?? 0) - (live[k - 1] ?? 0)).toBeGreaterThanOrEqual(WINDOW_MS - OBSERVED_LATE_MS);
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

  it('sends the first request under a slot it granted at once, spending the slot; the next one waits its turn', async () => {
    const WINDOW_MS = 300;
    const pacer = createRequestPacer(1, WINDOW_MS);
    const started = Date.now();
    const granted = await pacer.grantSlot();
    expect(granted.spent).toBe(false);
    await withRequestContext({ granted }, () => pacer.acquire());
    expect(granted.spent).toBe(true);
    expect(Date.now() - started).toBeLessThan(WINDOW_MS);
    await withRequestContext({ granted }, () => pacer.acquire());
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS - 1);
  });

  it("leaves a slot another pacer granted unspent: a request this one holds waits for its own turn", async () => {
    const WINDOW_MS = 300;
    const requests = createRequestPacer(1, WINDOW_MS);
    const searches = createRequestPacer(1, WINDOW_MS);
    const started = Date.now();
    await requests.acquire();
    const searchSlot = await searches.grantSlot();
    await withRequestContext({ granted: searchSlot }, () => requests.acquire());
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS - 1);
    expect(searchSlot.spent).toBe(false);
  });
});
