import { describeEachBackend, uniqueId, useStore } from './backends';

describeEachBackend('reconciliation state', (backend) => {
  const store = useStore(backend);

  it('keeps the cursor per system and object, and counts what a run caught once however often it is stored', async () => {
    const system = uniqueId('sys');
    expect(await store().reconcileCursor(system, 'contact')).toBeNull();
    const before = new Date(Date.now() - 1000).toISOString();
    const counted = await store().reconciledSince(before);
    const run = { runId: uniqueId('run'), system, object: 'contact' as const, caught: 3, cursor: 1_796_000_000_123 };
    await store().recordReconciliation(run);
    // a local activity retried after a crash stores the same run again
    await store().recordReconciliation(run);
    await store().recordReconciliation({ ...run, runId: uniqueId('run'), object: 'company', caught: 0, cursor: 42 });
    expect(await store().reconcileCursor(system, 'contact')).toBe(1_796_000_000_123);
    expect(await store().reconcileCursor(system, 'company')).toBe(42);
    expect((await store().reconciledSince(before)) - counted).toBe(3);
    expect(await store().reconciledSince(new Date(Date.now() + 60_000).toISOString())).toBe(0);
  });
});
