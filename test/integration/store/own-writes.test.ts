import { describeEachBackend, uniqueId, useStore } from './backends';

describeEachBackend('own writes', (backend) => {
  const store = useStore(backend);

  it("keeps the last value written to each field of each record, per record, in the order asked", async () => {
    const hubspot = { system: 'hubspot', object: 'contact' as const, id: uniqueId('h') };
    const zoho = { system: 'zoho', object: 'contact' as const, id: uniqueId('z') };
    const never = { system: 'zoho', object: 'contact' as const, id: uniqueId('n') };
    await store().recordOwnWrites([{ ref: hubspot, fields: { jobTitle: '23', city: 'Paris' } }, { ref: zoho, fields: { country: null } }]);
    await store().recordOwnWrites([{ ref: hubspot, fields: { jobTitle: '223' } }]);
    // the same id in another system, or as another object, is another record
    await store().recordOwnWrites([{ ref: { ...hubspot, object: 'company' }, fields: { jobTitle: 'x' } }]);
    expect(await store().ownWritesOf([never, zoho, hubspot])).toEqual([null, { country: null }, { jobTitle: '223', city: 'Paris' }]);
    expect(await store().ownWritesOf([])).toEqual([]);
    await store().recordOwnWrites([{ ref: never, fields: {} }]);
    expect(await store().ownWritesOf([never])).toEqual([null]);
  });
});
