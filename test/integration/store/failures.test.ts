import type { RecordRef } from '../../../src/domain/records';
import type { FailureInput, FailureRow } from '../../../src/store';
import { describeEachBackend, uniqueId, useStore } from './backends';

function failure(ref: RecordRef, overrides: Partial<FailureInput> = {}): FailureInput {
  return {
    ref,
    operation: 'update',
    category: 'validation',
    message: 'Phone is invalid',
    fields: [{ field: 'phone', reason: 'not a phone number' }],
    workflowId: `${ref.system}:${ref.object}:${ref.id}`,
    ...overrides,
  };
}

const contact = (): RecordRef => ({ system: 'zoho', object: 'contact', id: uniqueId('zo') });
const LONG_AGO = '2000-01-01T00:00:00.000Z';

/** Timestamps have millisecond precision; wait (without a timer) until the clock is past `iso` to tell them apart. */
async function clockPast(iso: string | undefined): Promise<void> {
  const target = Date.parse(iso ?? '');
  while (Date.now() <= target) await new Promise((resolve) => setImmediate(resolve));
}

describeEachBackend('sync failures', (backend) => {
  const store = useStore(backend);

  /** Every row of `ref`, as failuresSince reports it (other tests' rows share the database). */
  async function rowsOf(ref: RecordRef, since = LONG_AGO): Promise<FailureRow[]> {
    const rows = await store().failuresSince(since);
    return rows.filter((row) => row.ref.id === ref.id && row.ref.system === ref.system);
  }

  it('keeps one open row per record and operation, counting attempts and keeping the first failure time', async () => {
    const ref = contact();
    await store().recordFailure(failure(ref));
    const [first] = await rowsOf(ref);
    await clockPast(first?.lastFailedAt);
    await store().recordFailure(
      failure(ref, { category: 'rate-limit', message: 'Too many requests', fields: [], workflowId: 'wf-2' }),
    );

    const rows = await rowsOf(ref);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      ref,
      operation: 'update',
      category: 'rate-limit',
      message: 'Too many requests',
      fields: [],
      workflowId: 'wf-2',
      attempts: 2,
      firstFailedAt: first?.firstFailedAt,
      lastFailedAt: expect.any(String),
      recoveredAt: null,
    });
    expect(Date.parse(rows[0]?.lastFailedAt ?? '')).toBeGreaterThan(Date.parse(first?.lastFailedAt ?? ''));
  });

  it('keeps different operations of one record apart', async () => {
    const ref = contact();
    await store().recordFailure(failure(ref, { operation: 'update' }));
    await store().recordFailure(failure(ref, { operation: 'link' }));
    const rows = await rowsOf(ref);
    expect(rows.map((row) => row.operation).sort()).toEqual(['link', 'update']);
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  });

  it('marks every open failure of a record recovered, and only that record', async () => {
    const ref = contact();
    const bystander = contact();
    await store().recordFailure(failure(ref, { operation: 'update' }));
    await store().recordFailure(failure(ref, { operation: 'create' }));
    await store().recordFailure(failure(bystander));

    await store().recordSuccess(ref);
    const recovered = await rowsOf(ref);
    expect(recovered).toHaveLength(2);
    for (const row of recovered) expect(Date.parse(row.recoveredAt ?? '')).not.toBeNaN();
    expect((await rowsOf(bystander))[0]?.recoveredAt).toBeNull();
    // A success with nothing open changes nothing.
    await expect(store().recordSuccess(contact())).resolves.toBeUndefined();
  });

  it('marks the failures of every record of an entity recovered when the entity is saved (a failure reported outside the record\'s own workflow)', async () => {
    const zoho = contact();
    const hubspot: RecordRef = { system: 'hubspot', object: 'contact', id: uniqueId('hs') };
    const shop: RecordRef = { system: 'shop', object: 'contact', id: uniqueId('shop') };
    await store().recordFailure(failure(zoho, { operation: 'link', category: 'duplicate' }));
    await store().recordFailure(failure(hubspot));
    await store().recordFailure(failure(shop, { operation: 'create' }));
    const bystander = contact();
    await store().recordFailure(failure(bystander));

    const link = (ref: RecordRef) => ({ recordId: ref.id, base: {}, version: null, modifiedAt: null });
    const links = { zoho: link(zoho), hubspot: link(hubspot), shop: link(shop) };
    await store().saveEntity({ id: null, object: 'contact', base: {}, links, expectedRevision: null });
    for (const ref of [zoho, hubspot, shop]) expect((await rowsOf(ref))[0]?.recoveredAt).not.toBeNull();
    expect((await rowsOf(bystander))[0]?.recoveredAt).toBeNull();
  });

  it('leaves the failures of a save that did not happen open: a stale revision, or a record another entity links', async () => {
    const link = (ref: RecordRef) => ({ recordId: ref.id, base: {}, version: null, modifiedAt: null });
    const [zoho, other] = [contact(), contact()];
    const hubspot: RecordRef = { system: 'hubspot', object: 'contact', id: uniqueId('hs') };
    const saved = await store().saveEntity({ id: null, object: 'contact', base: {}, links: { zoho: link(zoho) }, expectedRevision: null });
    await store().saveEntity({ id: null, object: 'contact', base: {}, links: { zoho: link(other) }, expectedRevision: null });
    for (const ref of [zoho, hubspot, other]) await store().recordFailure(failure(ref));

    const update = { id: saved.id, object: 'contact' as const, base: {}, links: { zoho: link(zoho), hubspot: link(hubspot) } };
    await expect(store().saveEntity({ ...update, expectedRevision: saved.revision + 1 })).rejects.toThrow();
    // a new entity claiming a record another one links
    await expect(store().saveEntity({ id: null, object: 'contact', base: {}, links: { zoho: link(other), hubspot: link(hubspot) }, expectedRevision: null })).rejects.toThrow();
    for (const ref of [zoho, hubspot, other]) expect((await rowsOf(ref))[0]?.recoveredAt).toBeNull();

    await store().saveEntity({ ...update, expectedRevision: saved.revision });
    for (const ref of [zoho, hubspot]) expect((await rowsOf(ref))[0]?.recoveredAt).not.toBeNull();
    expect((await rowsOf(other))[0]?.recoveredAt).toBeNull();
  });

  it('reports open failures always, and recovered ones only when recovered after `since`', async () => {
    const ref = contact();
    const open = contact();
    await store().recordFailure(failure(ref));
    await store().recordFailure(failure(open));
    await store().recordSuccess(ref);
    const recoveredAt = (await rowsOf(ref))[0]?.recoveredAt;
    if (recoveredAt === null || recoveredAt === undefined) throw new Error('not recovered');

    const justBefore = new Date(Date.parse(recoveredAt) - 1).toISOString();
    expect(await rowsOf(ref, justBefore)).toHaveLength(1);
    // `since` equal to the recovery time excludes it: a report run from its last recoveredAt sees it once.
    expect(await rowsOf(ref, recoveredAt)).toHaveLength(0);
    expect(await rowsOf(open, new Date(Date.now() + 60_000).toISOString())).toHaveLength(1);
  });

  it('reopens a recovered failure as a new episode', async () => {
    const ref = contact();
    await store().recordFailure(failure(ref));
    await store().recordFailure(failure(ref));
    const [before] = await rowsOf(ref);
    await store().recordSuccess(ref);
    await clockPast((await rowsOf(ref))[0]?.recoveredAt ?? undefined);
    await store().recordFailure(failure(ref, { message: 'again' }));

    const rows = await rowsOf(ref);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attempts: 1, recoveredAt: null, message: 'again' });
    expect(Date.parse(rows[0]?.firstFailedAt ?? '')).toBeGreaterThan(Date.parse(before?.lastFailedAt ?? ''));
  });

  it('lists failures oldest first', async () => {
    const refs = [contact(), contact(), contact()];
    for (const ref of refs) await store().recordFailure(failure(ref));
    const ids = new Set(refs.map((ref) => ref.id));
    const listed = (await store().failuresSince(LONG_AGO)).filter((row) => ids.has(row.ref.id));
    expect(listed.map((row) => row.ref.id)).toEqual(refs.map((ref) => ref.id));
    const times = (await store().failuresSince(LONG_AGO)).map((row) => Date.parse(row.firstFailedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
