import { Client } from 'pg';
import {
  createSqlStore,
  type Database,
  type Entity,
  type EntitySave,
  migrate,
  openDatabase,
  type Queryable,
  type SyncStore,
} from '../../../src/store';
import { describeEachBackend, type TestDatabase, uniqueId } from './backends';
import { newLink, newSave, refOf, updateOf } from './entity-fixtures';
import { waitFor } from '../../support/wait-for';

/** Counts the statements the store runs; `beforeLinkWrite` runs once, just before a transaction first writes links. */
function instrument(db: Database, hooks: { beforeLinkWrite?: () => Promise<void> } = {}) {
  const counts = { statements: 0, transactions: 0 };
  let hook = hooks.beforeLinkWrite;
  const counted = (target: Queryable): Queryable => ({
    query: async (sql, params) => {
      if (hook && sql.includes('INSERT INTO entity_links')) {
        const run = hook;
        hook = undefined;
        await run();
      }
      counts.statements += 1;
      return target.query(sql, params);
    },
  });
  const wrapped: Database = {
    ...counted(db),
    transaction: (fn) => {
      counts.transactions += 1;
      return db.transaction((tx) => fn(counted(tx)));
    },
    close: () => db.close(),
  };
  return { db: wrapped, counts };
}

const revisions = (entities: readonly (Entity | null)[]) => entities.map((entity) => entity?.revision ?? null);

describeEachBackend('entity pages', (backend) => {
  let database: TestDatabase | undefined;
  let raw: Database | undefined;
  let counted: ReturnType<typeof instrument> | undefined;
  let sql: SyncStore | undefined;
  beforeAll(async () => {
    database = await backend.createDatabase();
    raw = await openDatabase(database.options);
    await migrate(raw);
    counted = instrument(raw);
    sql = createSqlStore(counted.db);
  });
  afterAll(async () => {
    await raw?.close();
    await database?.dispose();
  });
  const store = (): SyncStore => sql ?? fail();

  it('looks up a page of records and of ids in one statement each, in the order asked, null where unknown', async () => {
    const [a, b] = await store().saveEntities([newSave(), newSave({ object: 'company', links: { shop: newLink() } })]);
    if (!a || !b) throw new Error('not saved');
    const unknown = { ...refOf(a, 'zoho'), id: uniqueId('rec') };
    const refs = [refOf(b, 'shop'), refOf(a, 'zoho'), unknown, refOf(a, 'hubspot'), { ...refOf(a, 'hubspot'), object: 'company' as const }];
    const before = counted?.counts.statements ?? 0;
    expect(await store().getEntities(refs)).toEqual([b, a, null, a, null]);
    expect(await store().getEntitiesById([b.id, '999999999999', 'zoho:12', a.id])).toEqual([b, null, null, a]);
    expect((counted?.counts.statements ?? 0) - before).toBe(2);
    expect(await store().getEntities([])).toEqual([]);
    expect(await store().getEntitiesById([])).toEqual([]);
  });

  it('saves a page: each stale save yields null and writes nothing, the others are saved', async () => {
    const [linked, known, other, holder] = await store().saveEntities([newSave(), newSave(), newSave(), newSave()]);
    if (!linked || !known || !other || !holder) throw new Error('not saved');
    const fresh = newSave();
    const twice = newLink();
    const page: EntitySave[] = [
      fresh,
      newSave({ links: { zoho: linked.links.zoho ?? newLink(), shop: newLink() } }),
      updateOf(known, { base: { email: 'kept@example.com' } }),
      updateOf(other, { base: { email: 'lost@example.com' }, expectedRevision: 7 }),
      // takes a record another entity holds: must not take the other saves down with it
      updateOf(other, { expectedRevision: 1, links: { ...other.links, hubspot: holder.links.hubspot ?? newLink() } }),
      newSave({ links: { shop: twice } }),
      newSave({ links: { shop: twice, hubspot: newLink() } }),
    ];
    const results = await store().saveEntities(page);
    expect(revisions(results)).toEqual([1, null, 2, null, null, 1, null]);
    expect(await store().getEntity(refOf(fresh, 'hubspot'))).toEqual(results[0]);
    expect(await store().getEntity(refOf(page[1] ?? fresh, 'shop'))).toBeNull();
    expect((await store().getEntity(refOf(known, 'hubspot')))?.base).toEqual({ email: 'kept@example.com' });
    expect(await store().getEntity(refOf(other, 'hubspot'))).toEqual(other);
    expect(await store().getEntity(refOf(holder, 'hubspot'))).toEqual(holder);
    expect(await store().getEntity(refOf(page[6] ?? fresh, 'hubspot'))).toBeNull();
  });

  it('counts a save run again (a replayed local activity) as done when the store holds exactly what it writes', async () => {
    const page = [newSave(), newSave({ object: 'company', links: { hubspot: newLink(), zoho: newLink(), shop: newLink() } })];
    const first = await store().saveEntities(page);
    expect(await store().saveEntities(page)).toEqual(first);
    const [contact] = first;
    if (!contact) throw new Error('not saved');

    const update = updateOf(contact, { base: { email: 'next@example.com' }, links: { ...contact.links, shop: newLink({ modifiedAt: Number.NaN }) } });
    const updated = await store().saveEntity(update);
    expect(await store().saveEntity(update)).toEqual(updated);
    // The same revision with other content is a real conflict, and so is a replay once the entity moved on.
    await expect(store().saveEntities([updateOf(contact, { base: { email: 'other@example.com' } })])).resolves.toEqual([null]);
    await store().saveEntity(updateOf(updated, { base: { email: 'later@example.com' } }));
    await expect(store().saveEntities([update])).resolves.toEqual([null]);
  });

  it('saves a page of 100 in one transaction of two statements: the entities, then their links', async () => {
    const counts = counted?.counts ?? fail();
    const start = { ...counts };
    const inserted = await store().saveEntities(Array.from({ length: 100 }, () => newSave()));
    const afterInsert = { ...counts };
    const updated = await store().saveEntities(inserted.map((entity) => updateOf(entity ?? fail(), { base: { email: 'page@example.com' } })));
    expect(revisions(updated)).toEqual(Array.from({ length: 100 }, () => 2));
    const spent = (from: typeof start, to: typeof start) => ({
      statements: to.statements - from.statements,
      transactions: to.transactions - from.transactions,
    });
    // the transaction's BEGIN and COMMIT come on top
    expect(spent(start, afterInsert)).toEqual({ statements: 2, transactions: 1 });
    expect(spent(afterInsert, counts)).toEqual({ statements: 2, transactions: 1 });
  });

  it("gathers concurrent passes' lookups, own writes and saves into one statement or page each, each caller answered as alone", async () => {
    const counts = counted?.counts ?? fail();
    const [a, b, c] = await store().saveEntities([newSave(), newSave(), newSave()]);
    if (!a || !b || !c) throw new Error('not saved');
    const refs = [refOf(a, 'zoho'), refOf(b, 'hubspot'), { ...refOf(c, 'zoho'), id: uniqueId('rec') }];
    const start = { ...counts };
    const [entities, written, recorded] = await Promise.all([
      Promise.all(refs.map((ref) => store().getEntity(ref))),
      Promise.all(refs.map((ref) => store().ownWritesOf([ref]))),
      // two passes writing one field at once: the statement takes each row once, the later value holds
      Promise.all(['first', 'second'].map((value) => store().recordOwnWrites([{ ref: refOf(a, 'hubspot'), fields: { email: value } }]))),
    ]);
    expect(entities).toEqual([a, b, null]);
    expect(written).toEqual([[null], [null], [null]]);
    expect(recorded).toEqual([undefined, undefined]);
    expect(counts.statements - start.statements).toBe(3);
    expect(await store().ownWritesOf([refOf(a, 'hubspot')])).toEqual([{ email: 'second' }]);

    const beforeSaves = { ...counts };
    const saves = await Promise.allSettled([
      store().saveEntity(updateOf(a, { base: { email: 'a@example.com' } })),
      // stale: fails its own caller only
      store().saveEntity(updateOf(b, { expectedRevision: 5 })),
      store().saveEntity(updateOf(c, { base: { email: 'c@example.com' } })),
      // refused whatever the store holds: made alone, it takes no page down with it
      store().saveEntity(updateOf(c, { links: {} })),
      store().saveEntity(newSave()),
    ]);
    expect(saves.map((save) => (save.status === 'fulfilled' ? save.value.revision : (save.reason as Error).name))).toEqual([
      2,
      'StaleRevisionError',
      2,
      'EntitySaveError',
      1,
    ]);
    expect(counts.transactions - beforeSaves.transactions).toBe(1);
    expect((await store().getEntity(refOf(c, 'hubspot')))?.base).toEqual({ email: 'c@example.com' });
    expect(await store().getEntity(refOf(b, 'hubspot'))).toEqual(b);
  });

  if (backend.name === 'postgres') {
    it('takes the entities of a page in id order, whatever the order of its saves: pages saved at once take the ones they share in one order', async () => {
      const saved = await store().saveEntities([newSave(), newSave()]);
      const [low, high] = saved.map((entity) => entity ?? fail()).sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
      if (!low || !high) throw new Error('not saved');
      const url = database?.options.databaseUrl;
      const [holder, prober] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
      await Promise.all([holder.connect(), prober.connect()]);
      try {
        // another page holds the later entity; this page, its saves in the other order, must wait on it holding the earlier one
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM entities WHERE id = $1 FOR UPDATE', [high.id]);
        const page = store().saveEntities([updateOf(high, { base: { email: 'high@example.com' } }), updateOf(low, { base: { email: 'low@example.com' } })]);
        await waitFor(async () => (await prober.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE entities%'")).rowCount, 'the page waiting for the later entity');
        const probe = await prober.query('SELECT id FROM entities WHERE id = $1 FOR UPDATE NOWAIT', [low.id]).then(
          () => 'free',
          (error: { code?: string }) => error.code,
        );
        expect(probe).toBe('55P03');
        await holder.query('COMMIT');
        expect(revisions(await page)).toEqual([2, 2]);
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await Promise.all([holder.end(), prober.end()]);
      }
    });

    it('redoes a page save by save when a concurrent pass links one of its records between the check and the write', async () => {
      const contested = newLink();
      const rival = new Client({ connectionString: database?.options.databaseUrl });
      await rival.connect();
      try {
        const racing = instrument(raw ?? fail(), {
          beforeLinkWrite: async () => {
            await rival.query(
              `WITH e AS (INSERT INTO entities (object, base, revision, updated_at) VALUES ('contact', '{}', 1, now()) RETURNING id)
               INSERT INTO entity_links (entity_id, system, object, record_id, base) SELECT id, 'hubspot', 'contact', $1, '{}' FROM e`,
              [contested.recordId],
            );
          },
        });
        const page = [newSave(), newSave({ links: { hubspot: contested, zoho: newLink() } }), newSave()];
        const results = await createSqlStore(racing.db).saveEntities(page);
        expect(revisions(results)).toEqual([1, null, 1]);
        expect(racing.counts.transactions).toBe(4);
        expect((await store().getEntity(refOf(page[1] ?? fail(), 'hubspot')))?.base).toEqual({});
        expect(await store().getEntity(refOf(page[1] ?? fail(), 'zoho'))).toBeNull();
        for (const [i, save] of [page[0], page[2]].entries()) expect(await store().getEntity(refOf(save ?? fail(), 'zoho'))).toEqual(results[i * 2]);
      } finally {
        await rival.end();
      }
    });
  }
});

function fail(): never {
  throw new Error('not set up');
}
