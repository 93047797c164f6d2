import { describeEachBackend, uniqueId, useStore } from './backends';
import { newSave, refOf, updateOf } from './entity-fixtures';
import { waitFor } from '../../support/wait-for';

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

  it('tells the values recorded since the entity linking the record was last saved (a pass yet to save) from older ones', async () => {
    const saved = await store().saveEntity(newSave());
    const zoho = refOf(saved, 'zoho');
    const unlinked = { system: 'zoho', object: 'contact' as const, id: uniqueId('u') };
    await store().recordOwnWrites([{ ref: zoho, fields: { email: 'old@example.com' } }, { ref: unlinked, fields: { email: 'x@example.com' } }]);
    // the save of the pass that wrote it holds that value in its base: no longer pending
    const resaved = await store().saveEntity(updateOf(saved));
    expect(await store().ownWritesOf([zoho], { unsaved: true })).toEqual([null]);
    // a next pass records its write before sending it (in a later millisecond: times are kept to the millisecond);
    // until it saves, that value is pending, the older one is not
    await waitFor(() => Date.now() > Date.parse(resaved.updatedAt), 'a millisecond after the save');
    await store().recordOwnWrites([{ ref: zoho, fields: { phone: '+33 1 23 45 67 89' } }]);
    expect(await store().ownWritesOf([zoho, unlinked], { unsaved: true })).toEqual([{ phone: '+33 1 23 45 67 89' }, null]);
    expect(await store().ownWritesOf([zoho])).toEqual([{ email: 'old@example.com', phone: '+33 1 23 45 67 89' }]);
    await store().saveEntity(updateOf(resaved));
    expect(await store().ownWritesOf([zoho], { unsaved: true })).toEqual([null]);
  });

  it('withdraws a refused write: the value recorded before it is the last written again, as of its own time, unless another write came since', async () => {
    const saved = await store().saveEntity(newSave());
    const zoho = refOf(saved, 'zoho');
    const hubspot = refOf(saved, 'hubspot');
    await store().recordOwnWrites([{ ref: zoho, fields: { jobTitle: 'landed', city: 'Paris' } }, { ref: hubspot, fields: { jobTitle: 'first' } }]);
    const resaved = await store().saveEntity(updateOf(saved));
    await waitFor(() => Date.now() > Date.parse(resaved.updatedAt), 'a millisecond after the save');
    await store().recordOwnWrites([{ ref: zoho, fields: { jobTitle: 'refused' } }]);
    expect(await store().ownWritesOf([zoho], { unsaved: true })).toEqual([{ jobTitle: 'refused' }]);
    await store().withdrawOwnWrites([{ ref: zoho, fields: { jobTitle: 'refused' } }]);
    // 'landed' again, recorded before the save that holds it: nothing unsaved
    expect(await store().ownWritesOf([zoho])).toEqual([{ jobTitle: 'landed', city: 'Paris' }]);
    expect(await store().ownWritesOf([zoho], { unsaved: true })).toEqual([null]);

    // one value written by two passes (a record's workflow and its linked record's): refused, the second takes back
    // only itself, since the first may have landed (the bench's HubSpot contact 1145)
    await store().recordOwnWrites([{ ref: zoho, fields: { jobTitle: 'both' } }]);
    await store().recordOwnWrites([{ ref: zoho, fields: { jobTitle: 'both' } }]);
    await store().withdrawOwnWrites([{ ref: zoho, fields: { jobTitle: 'both' } }]);
    expect(await store().ownWritesOf([zoho], { unsaved: true })).toEqual([{ jobTitle: 'both' }]);

    // a field never written before: withdrawn, nothing was written there
    await store().recordOwnWrites([{ ref: zoho, fields: { phone: '+33 1 23 45 67 89' } }]);
    await store().withdrawOwnWrites([{ ref: zoho, fields: { phone: '+33 1 23 45 67 89' } }]);
    expect(await store().ownWritesOf([zoho])).toEqual([{ jobTitle: 'both', city: 'Paris' }]);

    // another pass's write recorded since is kept: it is the last one, whatever became of the refused one
    await store().recordOwnWrites([{ ref: hubspot, fields: { jobTitle: 'refused' } }]);
    await store().recordOwnWrites([{ ref: hubspot, fields: { jobTitle: 'later' } }]);
    await store().withdrawOwnWrites([{ ref: hubspot, fields: { jobTitle: 'refused' } }]);
    expect(await store().ownWritesOf([hubspot])).toEqual([{ jobTitle: 'later' }]);
    await store().withdrawOwnWrites([]);
  });
});
