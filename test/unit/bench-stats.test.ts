import type { temporal } from '@temporalio/proto';
import { countActions } from '../../bench/support/actions';
import { judgePool } from '../../bench/support/at-rest';
import { callDelta, classifyRoute, type CallCounts } from '../../bench/support/crm-calls';
import { newestTitles } from '../../bench/support/live-load';
import { DEFAULT_OPTIONS, parseOptions, QUICK_OPTIONS } from '../../bench/support/options';
import { reconcileNote, reconcileRunsText } from '../../bench/support/reconcile-runs';
import { measuredCell } from '../../bench/support/readme-figures';
import { percentile, ratio, reportSummary, summarize } from '../../bench/support/stats';

type Event = temporal.api.history.v1.IHistoryEvent;

describe('benchmark statistics', () => {
  test('percentiles are nearest-rank: always a value that was observed', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test('summaries sort their input and survive empty samples', () => {
    const summary = summarize([30, 10, 20, 40]);
    expect(summary).toEqual({ count: 4, min: 10, p50: 20, p95: 40, p99: 40, max: 40, mean: 25 });
    expect(reportSummary(summarize([]))).toEqual({ count: 0, min: null, p50: null, p95: null, p99: null, max: null, mean: null });
    expect(reportSummary(summarize([1.26, 2.54]))).toMatchObject({ p50: 1.3, mean: 1.9 });
  });

  test('ratios refuse to divide by nothing', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(1, 3, 2)).toBe(0.33);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });
});

describe('a pool at rest', () => {
  const edit = (title: string, sentAt: number, doneAt = sentAt + 50) => ({ title, sentAt, doneAt });

  test('the newest edit is what a record must hold; edits closer than Zoho’s clock tells apart, or in flight at once, are a tie', () => {
    expect(newestTitles([])).toBeNull();
    expect(newestTitles([edit('h', 1_000)])).toEqual(['h']);
    expect(newestTitles([edit('h', 1_000), edit('z', 4_000)])).toEqual(['z']);
    expect(newestTitles([edit('z', 4_000), edit('h', 9_000)])).toEqual(['h']);
    // sent 1.95 s after the other's answer: Zoho stamps its changes to the second, so either may be the newer
    expect(newestTitles([edit('h', 1_000), edit('z', 3_000)])).toEqual(['h', 'z']);
    // two edits in one CRM, the later sent before the earlier was answered: they may have landed in either order
    expect(newestTitles([edit('h1', 1_000, 5_000), edit('h2', 4_000), edit('h0', 0)])).toEqual(['h1', 'h2']);
  });

  test('counts and names records that differ, hold an older edit, are unlinked or have a duplicate; archived and deleted records are gone', () => {
    const pool = [1, 2, 3, 4, 5].map((n) => ({ hubspotId: `${100 + n}`, zohoId: `z${n}` }));
    const change = (value: string, sourceType: string) => ({ value, timestamp: '2026-12-07T09:00:00.000Z', sourceType });
    const hubspot = (n: number, title: string, extra: Partial<{ zoho: string; archived: boolean; history: ReturnType<typeof change>[] }> = {}) => ({
      id: `${100 + n}${extra.archived ? '0' : ''}`,
      archived: extra.archived ?? false,
      properties: { email: `P${n}@bench.example`, jobtitle: title, zoho_record_id: extra.zoho ?? `z${n}` },
      ...(extra.history ? { propertiesWithHistory: { jobtitle: extra.history } } : {}),
    });
    // 1's title was put back once (a person's "a", ours over it, "a" again from us); 3's holds two syncs over a person's
    const putBack = [change('a', 'INTEGRATION'), change('z', 'INTEGRATION'), change('a', 'CRM_UI'), change('base', 'INTEGRATION')];
    const synced = [change('c3', 'INTEGRATION'), change('c2', 'INTEGRATION'), change('c1', 'CRM_UI')];
    // Zoho's field holds HubSpot's id as a number
    const zoho = (n: number, title: string, extra: Partial<{ deleted: boolean; id: string }> = {}) => ({
      id: extra.id ?? `z${n}`,
      Email: `p${n}@bench.example`,
      Title: title,
      HubSpot_ID: 100 + n,
      ...(extra.deleted ? { $deleted: true } : {}),
    });
    const verdict = judgePool(
      pool,
      [['a'], ['b'], ['c2', 'c3'], null, ['e']],
      // 1 fine; 2 differs; 3 holds one of a tie's two; 4 linked to another Zoho record; 5 a second live Zoho contact
      [hubspot(1, 'a', { history: putBack }), hubspot(1, 'a', { archived: true }), hubspot(2, 'b', { history: [change('b', 'CRM_UI'), change('b0', 'INTEGRATION')] }), hubspot(3, 'c3', { history: synced }), hubspot(4, 'd', { zoho: 'z9' }), hubspot(5, 'e-old')],
      [zoho(1, 'a'), zoho(1, 'a', { id: 'z1-old', deleted: true }), zoho(2, 'b-old'), zoho(3, 'c3'), zoho(4, 'd'), zoho(5, 'e-old'), zoho(5, 'e-old', { id: 'z5-twin' })],
    );
    expect(verdict).toEqual({
      records: 5,
      differing: 1,
      notLastEdit: 1,
      unlinked: 1,
      duplicated: 1,
      putBack: 1,
      examples: [
        // with HubSpot's history, where the record had one
        'HubSpot 102 "b", Zoho z2 "b-old", newest ["b"]; HubSpot\'s last titles "b" by CRM_UI at 09:00:00.000 < "b0" by INTEGRATION at 09:00:00.000',
        'HubSpot 104, Zoho z4: unlinked (HubSpot names z9, Zoho names 104)',
        'HubSpot 105 "e-old", Zoho z5 "e-old", newest ["e"]',
        'HubSpot 105, Zoho z5: its email held by 1 live HubSpot and 2 live Zoho contacts',
      ],
      offRecords: [
        { hubspotId: '102', zohoId: 'z2' },
        { hubspotId: '104', zohoId: 'z4' },
        { hubspotId: '105', zohoId: 'z5' },
      ],
    });
  });
});

describe('the figures table', () => {
  test('says when, at which commit and on which CPU a scenario ran, and nothing of a CPU older records never named', () => {
    const scenario = { measuredAt: '2026-12-07T05:31:18.000Z', commit: 'e57de1234567890' };
    expect(measuredCell({ ...scenario, cpuModel: 'Intel(R) Xeon(R) Processor @ 2.80GHz' })).toBe('2026-12-07 05:31 `e57de12` Xeon 2.80GHz');
    expect(measuredCell({ ...scenario, cpuModel: 'AMD EPYC' })).toBe('2026-12-07 05:31 `e57de12` AMD EPYC');
    expect(measuredCell(scenario)).toBe('2026-12-07 05:31 `e57de12`');
  });
});

describe('CRM calls', () => {
  test('reads are GETs and the POSTs that only read; token calls stand apart', () => {
    expect(classifyRoute('GET /crm/v3/objects/:objectType/:objectId')).toBe('read');
    expect(classifyRoute('POST /crm/v3/objects/:objectType/search')).toBe('read');
    expect(classifyRoute('POST /crm/v3/objects/:objectType/batch/read')).toBe('read');
    expect(classifyRoute('POST /crm/v8/coql')).toBe('read');
    expect(classifyRoute('POST /crm/v3/objects/:objectType/batch/upsert')).toBe('write');
    expect(classifyRoute('PATCH /crm/v3/objects/:objectType/:objectId')).toBe('write');
    expect(classifyRoute('PUT /crm/v8/:module')).toBe('write');
    expect(classifyRoute('POST /oauth/v2/token')).toBe('token');
  });

  test('deltas subtract per route and drop routes that did not move', () => {
    const before: CallCounts = { reads: 2, writes: 1, tokens: 1, total: 4, rateLimited: 0, refused: 1, byRoute: { 'GET /a': 2, 'PUT /b': 1, 'POST /oauth/v2/token': 1 } };
    const after: CallCounts = { reads: 5, writes: 1, tokens: 1, total: 7, rateLimited: 2, refused: 3, byRoute: { 'GET /a': 5, 'PUT /b': 1, 'POST /oauth/v2/token': 1 } };
    expect(callDelta(before, after)).toEqual({ reads: 3, writes: 0, tokens: 0, total: 3, rateLimited: 2, refused: 2, byRoute: { 'GET /a': 3 } });
  });
});

describe('Temporal Cloud actions from a history', () => {
  const started = (continued = false): Event => ({ workflowExecutionStartedEventAttributes: continued ? { continuedExecutionRunId: 'previous' } : {} });
  const signaled: Event = { workflowExecutionSignaledEventAttributes: {} };
  const wftScheduled: Event = { workflowTaskScheduledEventAttributes: {} };
  const taskCompleted: Event = { workflowTaskCompletedEventAttributes: {} };
  const marker: Event = { markerRecordedEventAttributes: {} };

  test('a Signal-With-Start that starts the run is one action; later signals are one each', () => {
    expect(countActions([started(), signaled, wftScheduled, signaled]).byKind).toEqual({ workflowStarted: 1, signal: 1 });
    expect(countActions([started(), wftScheduled, signaled]).byKind).toEqual({ workflowStarted: 1, signal: 1 });
  });

  test('a run started by continue-as-new counts its start', () => {
    expect(countActions([started(true), wftScheduled]).total).toBe(1);
  });

  test('activities count every attempt; local activities one per workflow task', () => {
    const events: Event[] = [
      started(),
      { activityTaskScheduledEventAttributes: {} },
      { activityTaskStartedEventAttributes: { attempt: 3 } },
      taskCompleted,
      marker,
      marker,
      taskCompleted,
      marker,
      { timerStartedEventAttributes: {} },
      { upsertWorkflowSearchAttributesEventAttributes: {} },
    ];
    expect(countActions(events)).toEqual({ total: 8, byKind: { workflowStarted: 1, activity: 3, localActivities: 2, timer: 1, searchAttributes: 1 } });
  });
});

describe('reconciliation runs beside a figure', () => {
  test('says none ran, or how many, what they listed and handed over, and how many had not finished', () => {
    const none = { runs: 0, finished: 0, listed: 0, caught: 0 };
    expect(reconcileRunsText(none)).toBe('0');
    expect(reconcileNote(none)).toBe('');
    const some = { runs: 5, finished: 3, listed: 239, caught: 16 };
    expect(reconcileRunsText(some)).toBe('5 (of 239 listed, 16 handed to live sync; 2 not finished)');
    expect(reconcileNote({ ...some, finished: 5 })).toBe('; reconciliation runs: 5 (of 239 listed, 16 handed to live sync)');
  });
});

describe('command line', () => {
  const names = ['ingress', 'backfill'];

  test('defaults to every scenario and the issue’s numbers', () => {
    const options = parseOptions([], names);
    expect(options.scenarios).toEqual(names);
    expect(options.backfillRecords).toBe(20_000);
    expect(options.liveRates).toEqual([5, 10, 50]);
    expect(options.withLiveRates).toEqual([1, 3, 10]);
  });

  test('runs the scenarios named, with flags', () => {
    const options = parseOptions(['backfill', '--backfill-records=500', '--live-rates=5,20', '--shop-load-live-pool=4'], names);
    expect(options).toMatchObject({ scenarios: ['backfill'], backfillRecords: 500, liveRates: [5, 20], shopLoadLivePool: 4 });
  });

  test('--quick makes every scenario small, and a flag given beside it still wins, before or after it', () => {
    const quick = parseOptions(['--backfill-records=700', '--quick'], names);
    expect(quick).toMatchObject({ ...QUICK_OPTIONS, quick: true, scenarios: names, backfillRecords: 700 });
    expect(QUICK_OPTIONS.backfillRecords).not.toBe(700);
    // small: no quick size beyond the full run's
    for (const [key, value] of Object.entries(QUICK_OPTIONS)) {
      const full = DEFAULT_OPTIONS[key as keyof typeof DEFAULT_OPTIONS];
      if (typeof value === 'number') expect({ [key]: value <= Number(full) }).toEqual({ [key]: true });
    }
    expect(quick.withLiveMaxSeconds).toBeLessThan(parseOptions([], names).withLiveMaxSeconds);
    expect(parseOptions([], names).quick).toBe(false);
  });

  test('--store picks the store, the embedded one unless told, and names what it takes when refused', () => {
    expect(parseOptions([], names).store).toBe('pglite');
    expect(parseOptions(['--store=postgres', 'backfill'], names)).toMatchObject({ store: 'postgres', scenarios: ['backfill'] });
    expect(() => parseOptions(['--store=mysql'], names)).toThrow('--store=mysql: expected --store=pglite or --store=postgres');
  });

  test('refuses unknown scenarios and flags', () => {
    expect(() => parseOptions(['nope'], names)).toThrow('unknown scenario');
    expect(() => parseOptions(['--records=5'], names)).toThrow('unknown flag');
    expect(() => parseOptions(['--backfill-records=-1'], names)).toThrow('positive');
  });
});
