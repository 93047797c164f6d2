import { backfillFilter, reachOf, willReach } from '../../../src/domain/backfill-reach';
import { initialState } from '../../../src/domain/backfill-progress';
import type { RecordSnapshot } from '../../../src/domain/records';

const T0 = Date.UTC(2026, 10, 1);
const before = new Date(T0 + 3_600_000).toISOString();

function record(id: string, modifiedAt = T0): RecordSnapshot {
  return { ref: { system: 'zoho', object: 'contact', id }, version: String(modifiedAt), modifiedAt, fields: {} };
}

describe("what a running backfill will still list (reconciliation leaves those records to it)", () => {
  const request = { from: 'zoho', object: 'contact' as const, idFrom: '100', idTo: '900' };

  it('its window: from the request, ending where the backfill started unless the request says', () => {
    const state = initialState(T0, before);
    expect(backfillFilter(request, state)).toMatchObject({ modifiedBefore: before, idFrom: '100', idTo: '900' });
    expect(reachOf(request, state)).toMatchObject({ from: 'zoho', object: 'contact', willSync: true, listedAll: false });
    expect(reachOf(request, { ...state, paused: true }).willSync).toBe(false);
    expect(reachOf(request, { ...state, cancelled: true }).willSync).toBe(false);
    expect(reachOf({ ...request, dryRun: true }, state).willSync).toBe(false);
  });

  it('reaches records in its window past the last id it listed, in numeric order; nothing else', () => {
    const ahead = { filter: backfillFilter(request, initialState(T0, before)), afterId: '250' };
    expect(willReach(ahead, record('251'))).toBe(true);
    // numeric, not text, order: 100 comes after 99
    expect(willReach({ ...ahead, afterId: '99' }, record('100'))).toBe(true);
    expect(willReach(ahead, record('250'))).toBe(false);
    expect(willReach(ahead, record('99'))).toBe(false);
    expect(willReach(ahead, record('901'))).toBe(false);
    // changed since the backfill started: not in its window, the change is live sync's (or the next reconcile's)
    expect(willReach(ahead, record('300', Date.parse(before)))).toBe(false);
    expect(willReach({ ...ahead, afterId: null }, record('100'))).toBe(true);
  });

  it('leaves nothing to a backfill cut by creation time: a snapshot has no creation time to tell', () => {
    const filter = { ...backfillFilter(request, initialState(T0, before)), createdAfter: new Date(T0 - 1000).toISOString() };
    expect(willReach({ filter, afterId: null }, record('300'))).toBe(false);
  });

  it('takes its window bounds as ISO-8601 or epoch ms', () => {
    const filter = { modifiedAfter: String(T0), modifiedBefore: String(T0 + 1000) };
    expect(willReach({ filter, afterId: null }, record('5', T0))).toBe(true);
    expect(willReach({ filter, afterId: null }, record('5', T0 - 1))).toBe(false);
    expect(willReach({ filter, afterId: null }, record('5', T0 + 1000))).toBe(false);
  });
});
