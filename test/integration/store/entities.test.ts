import { EntitySaveError, StaleRevisionError } from '../../../src/store';
import { describeEachBackend, useStore } from './backends';
import { newLink, newSave, refOf, updateOf } from './entity-fixtures';

describeEachBackend('entities', (backend) => {
  const store = useStore(backend);

  it('inserts an entity at revision 1 and finds it by each of its records and by its id, only under its own object', async () => {
    const save = newSave();
    const saved = await store().saveEntity(save);
    expect(saved).toMatchObject({ object: 'contact', base: save.base, links: save.links, revision: 1 });
    expect(saved.id).toMatch(/^[1-9][0-9]*$/);
    expect(new Date(saved.updatedAt).toISOString()).toBe(saved.updatedAt);

    expect(await store().getEntity(refOf(save, 'hubspot'))).toEqual(saved);
    expect(await store().getEntity(refOf(save, 'zoho'))).toEqual(saved);
    expect(await store().getEntitiesById([saved.id])).toEqual([saved]);
    expect(await store().getEntity({ ...refOf(save, 'hubspot'), object: 'company' })).toBeNull();
    // A record id of one system is not looked up among another's.
    expect(await store().getEntity({ ...refOf(save, 'zoho'), id: save.links.hubspot?.recordId ?? '' })).toBeNull();
  });

  it('holds links to three systems in one entity', async () => {
    const save = newSave({ object: 'company', links: { hubspot: newLink(), zoho: newLink(), shop: newLink({ version: null, modifiedAt: null }) } });
    const saved = await store().saveEntity(save);
    for (const system of ['hubspot', 'zoho', 'shop']) expect(await store().getEntity(refOf(save, system))).toEqual(saved);
    expect(Object.keys(saved.links).sort()).toEqual(['hubspot', 'shop', 'zoho']);
  });

  it('replaces the whole entity at the expected revision: base, link bases and versions, a link added, a link removed', async () => {
    const first = await store().saveEntity(newSave());
    const shop = newLink({ base: { email: 'shop@example.com' } });
    const hubspot = { ...newLink(), recordId: first.links.hubspot?.recordId ?? '', version: 'v2', modifiedAt: 2 };
    const updated = await store().saveEntity(updateOf(first, { base: { email: 'new@example.com' }, links: { hubspot, shop } }));
    expect(updated).toMatchObject({ id: first.id, revision: 2, base: { email: 'new@example.com' }, links: { hubspot, shop } });
    expect(await store().getEntity(refOf(updated, 'shop'))).toEqual(updated);
    expect(await store().getEntity(refOf(first, 'hubspot'))).toEqual(updated);
    // The record left out is no longer linked: it is free for another entity.
    expect(await store().getEntity(refOf(first, 'zoho'))).toBeNull();
    expect((await store().saveEntity(newSave({ links: { zoho: first.links.zoho ?? newLink() } }))).revision).toBe(1);
  });

  it('rejects an update at a stale revision and leaves the entity alone', async () => {
    const first = await store().saveEntity(newSave());
    const current = await store().saveEntity(updateOf(first, { base: { email: 'second@example.com' } }));

    const stale = store().saveEntity(updateOf(first, { base: { email: 'lost@example.com' }, links: { ...first.links, shop: newLink() } }));
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(stale).rejects.toMatchObject({ expected: 1 });
    expect(await store().getEntity(refOf(first, 'hubspot'))).toEqual(current);
  });

  it('treats an update of an entity that no longer exists (or of something that is no entity id) as stale', async () => {
    const gone = await store().saveEntity(newSave());
    await store().unlink(refOf(gone, 'hubspot'));
    await store().unlink(refOf(gone, 'zoho'));
    await expect(store().saveEntity(updateOf(gone))).rejects.toBeInstanceOf(StaleRevisionError);
    await expect(store().saveEntity({ ...newSave(), id: 'zoho:123', expectedRevision: 1 })).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('treats linking a record another entity holds as stale, and writes none of that save', async () => {
    const holder = await store().saveEntity(newSave());
    const taken = holder.links.zoho ?? newLink();
    const rival = newSave({ links: { hubspot: newLink(), zoho: taken } });
    await expect(store().saveEntity(rival)).rejects.toMatchObject({ name: 'StaleRevisionError', expected: null });
    expect(await store().getEntity(refOf(rival, 'hubspot'))).toBeNull();

    const other = await store().saveEntity(newSave());
    await expect(store().saveEntity(updateOf(other, { base: { email: 'lost@example.com' }, links: { ...other.links, zoho: taken } }))).rejects.toBeInstanceOf(
      StaleRevisionError,
    );
    expect(await store().getEntity(refOf(other, 'zoho'))).toEqual(other);
    expect(await store().getEntity(refOf(holder, 'zoho'))).toEqual(holder);
  });

  it('lets exactly one of two concurrent inserts of the same record win', async () => {
    const hubspot = newLink();
    const results = await Promise.allSettled([
      store().saveEntity(newSave({ links: { hubspot, zoho: newLink() } })),
      store().saveEntity(newSave({ links: { hubspot, zoho: newLink() } })),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((result) => result.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(StaleRevisionError);
  });

  it('lets exactly one of two concurrent updates at the same revision win', async () => {
    const first = await store().saveEntity(newSave());
    const results = await Promise.allSettled([
      store().saveEntity(updateOf(first, { base: { email: 'a@example.com' } })),
      store().saveEntity(updateOf(first, { base: { email: 'b@example.com' } })),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(StaleRevisionError);
    expect((await store().getEntity(refOf(first, 'hubspot')))?.revision).toBe(2);
  });

  it('unlinks one record: the entity keeps its other links at a new revision, so a pass that read it before is stale', async () => {
    const first = await store().saveEntity(newSave({ links: { hubspot: newLink(), zoho: newLink(), shop: newLink() } }));
    await store().unlink(refOf(first, 'shop'));
    const after = await store().getEntity(refOf(first, 'zoho'));
    expect(after).toMatchObject({ id: first.id, revision: 2, links: { hubspot: first.links.hubspot, zoho: first.links.zoho } });
    expect(Object.keys(after?.links ?? {})).toHaveLength(2);
    expect(await store().getEntity(refOf(first, 'shop'))).toBeNull();
    await expect(store().saveEntity(updateOf(first))).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('removes the entity with its last link; unlinking an unknown record is a no-op', async () => {
    const first = await store().saveEntity(newSave());
    await store().unlink(refOf(first, 'zoho'));
    await store().unlink(refOf(first, 'hubspot'));
    expect(await store().getEntitiesById([first.id])).toEqual([null]);
    await expect(store().unlink(refOf(first, 'hubspot'))).resolves.toBeUndefined();
    // The records are free again: linking them anew starts a new entity at revision 1.
    const again = await store().saveEntity(newSave({ links: first.links }));
    expect(again).toMatchObject({ revision: 1 });
    expect(again.id).not.toBe(first.id);
  });

  it('counts entities per object and in total', async () => {
    const before = { all: await store().countEntities(), companies: await store().countEntities('company') };
    await store().saveEntity(newSave({ object: 'company' }));
    await store().saveEntity(newSave({ object: 'company', links: { shop: newLink() } }));
    await store().saveEntity(newSave());
    expect(await store().countEntities('company')).toBe(before.companies + 2);
    expect(await store().countEntities()).toBe(before.all + 3);
  });

  it('stores a modification time that is no number as null, and refuses an entity without links', async () => {
    const saved = await store().saveEntity(newSave({ links: { zoho: newLink({ version: '', modifiedAt: Number.NaN }) } }));
    expect(saved.links.zoho).toMatchObject({ version: '', modifiedAt: null });
    expect(await store().getEntity(refOf(saved, 'zoho'))).toEqual(saved);
    await expect(store().saveEntity(newSave({ links: {} }))).rejects.toBeInstanceOf(EntitySaveError);
  });
});
