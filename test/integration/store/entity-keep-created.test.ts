import { StaleRevisionError } from '../../../src/store';
import { describeEachBackend, useStore } from './backends';
import { newLink, newSave, refOf, updateOf } from './entity-fixtures';

/**
 * The race of issue 13: a deal's pass syncs its new buyer (shop user) into HubSpot and Zoho while the buyer's own
 * workflow links the shop user and a Zoho contact first. The deal's save is stale; the HubSpot contact it created joins
 * the entity that won, so a shop delete then reaches it.
 */
describeEachBackend('records created by a pass whose save was stale', (backend) => {
  const store = useStore(backend);

  it('join the entity that won, where it has no record in that system yet, at a new revision', async () => {
    const shop = newLink();
    const zoho = newLink();
    const won = await store().saveEntity(newSave({ links: { shop, zoho } }));
    const hubspot = newLink({ base: { email: 'ada@example.com', shop: 'x' } });
    const lost = newSave({ links: { shop, zoho, hubspot } });
    await expect(store().saveEntity(lost)).rejects.toBeInstanceOf(StaleRevisionError);

    await store().keepCreatedLinks(lost, ['hubspot']);
    const kept = await store().getEntity(refOf(lost, 'hubspot'));
    expect(kept).toMatchObject({ id: won.id, revision: 2, base: won.base, links: { shop, zoho, hubspot } });
    // run again (a local activity replayed): nothing more
    await store().keepCreatedLinks(lost, ['hubspot']);
    expect(await store().getEntity(refOf(lost, 'hubspot'))).toEqual(kept);
  });

  it('never replace a record the entity that won already has there, nor take one linked elsewhere', async () => {
    const theirs = newLink();
    const won = await store().saveEntity(newSave({ links: { shop: newLink(), hubspot: theirs } }));
    const mine = newLink();
    await store().keepCreatedLinks({ ...updateOf(won), links: { shop: won.links.shop ?? newLink(), hubspot: mine } }, ['hubspot']);
    expect(await store().getEntity(refOf(won, 'hubspot'))).toEqual(won);
    expect(await store().getEntity({ system: 'hubspot', object: 'contact', id: mine.recordId })).toBeNull();

    const other = await store().saveEntity(newSave({ links: { hubspot: newLink(), zoho: newLink() } }));
    const lone = await store().saveEntity(newSave({ links: { shop: newLink() } }));
    await store().keepCreatedLinks(newSave({ links: { shop: lone.links.shop ?? newLink(), hubspot: other.links.hubspot ?? newLink() } }), ['hubspot']);
    expect(await store().getEntity(refOf(lone, 'shop'))).toEqual(lone);
  });

  it('are left alone when the records the pass read now belong to two entities, or to none', async () => {
    const a = await store().saveEntity(newSave({ links: { shop: newLink() } }));
    const b = await store().saveEntity(newSave({ links: { zoho: newLink() } }));
    const created = newLink();
    await store().keepCreatedLinks(newSave({ links: { shop: a.links.shop ?? newLink(), zoho: b.links.zoho ?? newLink(), hubspot: created } }), ['hubspot']);
    await store().keepCreatedLinks(newSave({ links: { shop: newLink(), hubspot: created } }), ['hubspot']);
    expect(await store().getEntity({ system: 'hubspot', object: 'contact', id: created.recordId })).toBeNull();
    expect(await store().getEntitiesById([a.id, b.id])).toEqual([a, b]);
  });
});
