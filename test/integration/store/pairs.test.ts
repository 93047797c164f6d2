import type { RecordRef } from '../../../src/domain/records';
import { type NewLinkedPair, StaleRevisionError } from '../../../src/store';
import { describeEachBackend, uniqueId, useStore } from './backends';

function newPair(overrides: Partial<NewLinkedPair> = {}): NewLinkedPair {
  return {
    object: 'contact',
    hubspotId: uniqueId('hs'),
    zohoId: uniqueId('zo'),
    base: { email: 'ada@example.com', phone: null, name: 'Ada Lövelace' },
    hubspotVersion: '2026-01-01T00:00:00.000Z',
    zohoVersion: '2026-01-01T00:00:01+00:00',
    ...overrides,
  };
}

const hubspotRef = (pair: NewLinkedPair, id = pair.hubspotId): RecordRef => ({
  system: 'hubspot',
  object: pair.object,
  id: id ?? 'missing',
});
const zohoRef = (pair: NewLinkedPair, id = pair.zohoId): RecordRef => ({
  system: 'zoho',
  object: pair.object,
  id: id ?? 'missing',
});

describeEachBackend('linked pairs', (backend) => {
  const store = useStore(backend);

  it('inserts a pair at revision 1 and finds it by either system id, only under its own object', async () => {
    const pair = newPair();
    const saved = await store().savePair(pair, null);
    expect(saved).toMatchObject({ ...pair, revision: 1 });
    expect(new Date(saved.updatedAt).toISOString()).toBe(saved.updatedAt);

    expect(await store().getPair(hubspotRef(pair))).toEqual(saved);
    expect(await store().getPair(zohoRef(pair))).toEqual(saved);
    expect(await store().getPair({ ...hubspotRef(pair), object: 'company' })).toBeNull();
    // A HubSpot id is not looked up among Zoho ids.
    expect(await store().getPair({ ...zohoRef(pair), id: pair.hubspotId ?? '' })).toBeNull();
  });

  it('updates at the expected revision, filling in a counterpart id that was missing', async () => {
    const pair = newPair({ zohoId: null, zohoVersion: null });
    await store().savePair(pair, null);
    const zohoId = uniqueId('zo');
    const updated = await store().savePair({ ...pair, zohoId, zohoVersion: 'v2', base: { email: 'new@example.com' } }, 1);
    expect(updated).toMatchObject({ revision: 2, zohoId, zohoVersion: 'v2', base: { email: 'new@example.com' } });
    expect(await store().getPair(zohoRef(pair, zohoId))).toEqual(updated);
    expect(await store().getPair(hubspotRef(pair))).toEqual(updated);
  });

  it('rejects an update at a stale revision and leaves the row alone', async () => {
    const pair = newPair();
    await store().savePair(pair, null);
    const current = await store().savePair({ ...pair, base: { email: 'second@example.com' } }, 1);

    const stale = store().savePair({ ...pair, base: { email: 'lost@example.com' } }, 1);
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(stale).rejects.toMatchObject({ expected: 1 });
    expect(await store().getPair(hubspotRef(pair))).toEqual(current);
  });

  it('treats an update of a pair that no longer exists as stale', async () => {
    await expect(store().savePair(newPair(), 3)).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('treats inserting an id that is already linked as stale (another pass linked it first)', async () => {
    const pair = newPair();
    await store().savePair(pair, null);
    const rival = store().savePair(newPair({ hubspotId: pair.hubspotId }), null);
    await expect(rival).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(rival).rejects.toMatchObject({ expected: null });
  });

  it('lets exactly one of two concurrent inserts of the same record win', async () => {
    const hubspotId = uniqueId('hs');
    const first = newPair({ hubspotId });
    const second = newPair({ hubspotId });
    const results = await Promise.allSettled([store().savePair(first, null), store().savePair(second, null)]);

    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result): unknown => result.reason);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(StaleRevisionError);
    const linked = [await store().getPair(zohoRef(first)), await store().getPair(zohoRef(second))];
    expect(linked.filter((pair) => pair !== null)).toHaveLength(1);
  });

  it('lets exactly one of two concurrent updates at the same revision win', async () => {
    const pair = newPair();
    await store().savePair(pair, null);
    const results = await Promise.allSettled([
      store().savePair({ ...pair, base: { email: 'a@example.com' } }, 1),
      store().savePair({ ...pair, base: { email: 'b@example.com' } }, 1),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(StaleRevisionError);
    expect((await store().getPair(hubspotRef(pair)))?.revision).toBe(2);
  });

  it('deletes by either id, and deleting an unknown record is a no-op', async () => {
    const pair = newPair();
    await store().savePair(pair, null);
    await store().deletePair(zohoRef(pair));
    expect(await store().getPair(hubspotRef(pair))).toBeNull();
    await expect(store().deletePair(zohoRef(pair))).resolves.toBeUndefined();
    // The id is free again: linking it anew starts over at revision 1.
    expect((await store().savePair(pair, null)).revision).toBe(1);
  });

  it('counts pairs per object and in total', async () => {
    const before = { all: await store().countPairs(), companies: await store().countPairs('company') };
    await store().savePair(newPair({ object: 'company' }), null);
    await store().savePair(newPair({ object: 'company' }), null);
    await store().savePair(newPair({ object: 'contact' }), null);
    expect(await store().countPairs('company')).toBe(before.companies + 2);
    expect(await store().countPairs()).toBe(before.all + 3);
  });

  it('looks up a page of records in one call, in the order asked, across systems and objects, null where unlinked', async () => {
    const [a, b] = [newPair(), newPair({ object: 'company' })];
    await store().savePairs([
      { pair: a, expectedRevision: null },
      { pair: b, expectedRevision: null },
    ]);
    const refs = [zohoRef(b), hubspotRef(a), { ...zohoRef(a), id: uniqueId('zo') }, zohoRef(a), { ...hubspotRef(a), object: 'company' as const }];
    const found = await store().getPairs(refs);
    expect(found.map((pair) => pair && [pair.object, pair.hubspotId, pair.zohoId])).toEqual([
      ['company', b.hubspotId, b.zohoId],
      ['contact', a.hubspotId, a.zohoId],
      null,
      ['contact', a.hubspotId, a.zohoId],
      null,
    ]);
    expect(await store().getPairs([])).toEqual([]);
  });

  it('saves a page of pairs in one call: a stale insert, a stale update and an id taken elsewhere each yield null, the rest are saved', async () => {
    const [linked, known, other, taken] = [newPair(), newPair(), newPair(), newPair()];
    for (const pair of [linked, known, other, taken]) await store().savePair(pair, null);
    const fresh = newPair();
    const results = await store().savePairs([
      { pair: fresh, expectedRevision: null },
      { pair: newPair({ zohoId: linked.zohoId }), expectedRevision: null },
      { pair: { ...known, base: { email: 'kept@example.com' } }, expectedRevision: 1 },
      { pair: { ...other, base: { email: 'lost@example.com' } }, expectedRevision: 7 },
      // fills in a Zoho id another pair holds: the unique violation must not take the other saves down with it
      { pair: { ...newPair({ hubspotId: null }), zohoId: taken.zohoId }, expectedRevision: null },
    ]);
    expect(results.map((pair) => pair?.revision ?? null)).toEqual([1, null, 2, null, null]);
    expect((await store().getPair(hubspotRef(known)))?.base).toEqual({ email: 'kept@example.com' });
    expect((await store().getPair(hubspotRef(other)))?.base).toEqual(other.base);
    expect(await store().getPair(hubspotRef(fresh))).toEqual(results[0]);

    const clash = await store().savePairs([
      { pair: { ...known, base: { email: 'again@example.com' } }, expectedRevision: 2 },
      { pair: { ...other, zohoId: taken.zohoId }, expectedRevision: 1 },
    ]);
    expect(clash.map((pair) => pair?.revision ?? null)).toEqual([3, null]);
    expect((await store().getPair(zohoRef(taken)))?.hubspotId).toBe(taken.hubspotId);
    expect((await store().getPair(hubspotRef(other)))?.zohoId).toBe(other.zohoId);
  });
});
