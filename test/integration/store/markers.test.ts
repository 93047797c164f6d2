import { describeEachBackend, uniqueId, useStore } from './backends';

describeEachBackend('markers', (backend) => {
  const store = useStore(backend);

  it('reads null until set, then the latest value', async () => {
    const name = uniqueId('marker');
    expect(await store().getMarker(name)).toBeNull();
    await store().setMarker(name, 'first');
    await store().setMarker(name, 'second');
    expect(await store().getMarker(name)).toBe('second');
  });
});
