import type { RecordRef } from '../../../src/domain/records';
import { createSqlStore, type Database, type Entity, MIGRATIONS, migrate, openDatabase, type SyncStore } from '../../../src/store';
import { describeEachBackend, type TestDatabase } from './backends';

/*
 * A store at schema version 2, written the way the pair store wrote it (the statements below are copied from the
 * former src/store/pairs.ts), is migrated and read through the entity API.
 */
const BATCH = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
  AS b(object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision)`;
const PAIR_INSERT = `INSERT INTO linked_pairs
  (object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision, updated_at)
  SELECT object, hubspot_id, zoho_id, base::jsonb, hubspot_version, zoho_version, 1, date_trunc('milliseconds', now()) FROM ${BATCH}
  ON CONFLICT DO NOTHING`;
const PAIR_UPDATE = `UPDATE linked_pairs p SET
    hubspot_id = b.hubspot_id, zoho_id = b.zoho_id, base = b.base::jsonb, hubspot_version = b.hubspot_version,
    zoho_version = b.zoho_version, revision = p.revision + 1, updated_at = date_trunc('milliseconds', now())
  FROM ${BATCH}
  WHERE p.object = b.object AND (p.hubspot_id = b.hubspot_id OR p.zoho_id = b.zoho_id) AND p.revision = b.revision`;

interface Pair {
  object: 'contact' | 'company';
  hubspotId: string | null;
  zohoId: string | null;
  base: Record<string, string | null>;
  hubspotVersion: string | null;
  zohoVersion: string | null;
}

type Versions = [hubspot: string | null, zoho: string | null];
const pair = (
  object: Pair['object'],
  hubspotId: string | null,
  zohoId: string | null,
  base: Pair['base'],
  versions: Versions = ['1767225600000', '2026-01-02T04:05:06+01:00'],
): Pair => ({
  object,
  hubspotId,
  zohoId,
  base,
  hubspotVersion: hubspotId === null ? null : versions[0],
  zohoVersion: zohoId === null ? null : versions[1],
});

const PAIRS = {
  acme: pair('company', 'hs-co-1', 'zo-co-1', { name: 'Acme' }, ['2026-01-02T03:04:05.678Z', '2026-01-02T04:05:06+01:00']),
  hubspotOnlyCompany: pair('company', '77', null, { name: 'Only in HubSpot' }),
  zohoOnlyCompany: pair('company', null, 'zo-co-3', { name: 'Only in Zoho' }, [null, '']),
  worksAtAcme: pair('contact', 'hs-c-1', 'zo-c-1', { email: 'ada@example.com', '@company': 'zo-co-1' }),
  worksAtHubspotOnly: pair('contact', 'hs-c-2', null, { email: 'bob@example.com', '@company': 'hubspot:77' }),
  worksAtUnlinked: pair('contact', null, 'zo-c-3', { email: 'cy@example.com', '@company': 'zo-unlinked' }, [null, 'not a time']),
  worksAtUnlinkedHubspot: pair('contact', 'hs-c-4', 'zo-c-4', { email: 'di@example.com', '@company': 'hubspot:88' }),
  noCompany: pair('contact', 'hs-c-5', 'zo-c-5', { email: 'ed@example.com', '@company': null }),
  noCompanyField: pair('contact', 'hs-c-6', 'zo-c-6', { email: 'flo@example.com' }),
};

function columns(pairs: readonly Pair[], revision: number): unknown[][] {
  return [
    pairs.map((p) => p.object),
    pairs.map((p) => p.hubspotId),
    pairs.map((p) => p.zohoId),
    pairs.map((p) => JSON.stringify(p.base)),
    pairs.map((p) => p.hubspotVersion),
    pairs.map((p) => p.zohoVersion),
    pairs.map(() => revision),
  ];
}

const hubspotRef = (p: Pair): RecordRef => ({ system: 'hubspot', object: p.object, id: p.hubspotId ?? 'none' });
const zohoRef = (p: Pair): RecordRef => ({ system: 'zoho', object: p.object, id: p.zohoId ?? 'none' });

describeEachBackend('migration 3: linked pairs become entities', (backend) => {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  let store: SyncStore | undefined;
  beforeAll(async () => {
    database = await backend.createDatabase();
    db = await openDatabase(database.options);
    expect(await migrate(db, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    await db.query(PAIR_INSERT, columns(Object.values(PAIRS), 0));
    await db.query(PAIR_UPDATE, columns([{ ...PAIRS.worksAtAcme, base: { ...PAIRS.worksAtAcme.base, phone: '+1 555' } }], 1));
    expect(await migrate(db)).toEqual(MIGRATIONS.map((migration) => migration.version).filter((version) => version > 2));
    store = createSqlStore(db);
  });
  afterAll(async () => {
    await db?.close();
    await database?.dispose();
  });
  const entityOf = async (ref: RecordRef): Promise<Entity> => (await store?.getEntity(ref)) ?? fail(`no entity links ${JSON.stringify(ref)}`);

  it('makes one entity per pair, with a link per id the pair had, and drops linked_pairs', async () => {
    expect(await store?.countEntities()).toBe(Object.keys(PAIRS).length);
    expect(await store?.countEntities('company')).toBe(3);
    const acme = await entityOf(zohoRef(PAIRS.acme));
    expect(acme).toMatchObject({ object: 'company', base: { name: 'Acme' }, revision: 1 });
    expect(acme.links).toEqual({
      hubspot: { recordId: 'hs-co-1', base: { name: 'Acme' }, version: '2026-01-02T03:04:05.678Z', modifiedAt: 1_767_323_045_678 },
      zoho: { recordId: 'zo-co-1', base: { name: 'Acme' }, version: '2026-01-02T04:05:06+01:00', modifiedAt: 1_767_323_106_000 },
    });
    expect(await entityOf(hubspotRef(PAIRS.acme))).toEqual(acme);
    expect(Object.keys((await entityOf(hubspotRef(PAIRS.hubspotOnlyCompany))).links)).toEqual(['hubspot']);
    expect((await entityOf(zohoRef(PAIRS.zohoOnlyCompany))).links).toEqual({
      zoho: { recordId: 'zo-co-3', base: { name: 'Only in Zoho' }, version: '', modifiedAt: null },
    });
    expect(await db?.query("SELECT 1 FROM pg_tables WHERE tablename = 'linked_pairs'")).toEqual([]);
  });

  it('keeps revisions and reads epoch-millisecond versions; a version that is no time has no modification time', async () => {
    const ada = await entityOf(hubspotRef(PAIRS.worksAtAcme));
    expect(ada.revision).toBe(2);
    expect(ada.links.hubspot).toMatchObject({ version: '1767225600000', modifiedAt: 1_767_225_600_000 });
    expect((await entityOf(zohoRef(PAIRS.worksAtUnlinked))).links.zoho).toMatchObject({ version: 'not a time', modifiedAt: null });
  });

  it("values a contact's @company as its company's entity id, or system:id while the company has none, in every base", async () => {
    const acme = await entityOf(hubspotRef(PAIRS.acme));
    const hubspotOnly = await entityOf(hubspotRef(PAIRS.hubspotOnlyCompany));
    const expected: [Pair, string | null | undefined][] = [
      [PAIRS.worksAtAcme, acme.id],
      [PAIRS.worksAtHubspotOnly, hubspotOnly.id],
      [PAIRS.worksAtUnlinked, 'zoho:zo-unlinked'],
      [PAIRS.worksAtUnlinkedHubspot, 'hubspot:88'],
      [PAIRS.noCompany, null],
      [PAIRS.noCompanyField, undefined],
    ];
    for (const [p, company] of expected) {
      const entity = await entityOf(p.hubspotId === null ? zohoRef(p) : hubspotRef(p));
      const bases = [entity.base, ...Object.values(entity.links).map((link) => link.base)];
      expect(bases).toHaveLength(1 + Number(p.hubspotId !== null) + Number(p.zohoId !== null));
      for (const base of bases) {
        expect(base.email).toBe(p.base.email);
        expect(base['@company']).toBe(company);
        expect('@company' in base).toBe(company !== undefined);
      }
    }
    expect((await entityOf(zohoRef(PAIRS.worksAtAcme))).base.phone).toBe('+1 555');
  });

  it('hands out new entity ids after the migrated ones', async () => {
    const links = { shop: { recordId: 's-1', base: {}, version: null, modifiedAt: null } };
    const saved = await store?.saveEntity({ id: null, object: 'company', base: {}, links, expectedRevision: null });
    const migrated = await Promise.all(Object.values(PAIRS).map((p) => entityOf(p.hubspotId === null ? zohoRef(p) : hubspotRef(p))));
    expect(Math.max(...migrated.map((entity) => Number(entity.id)))).toBeLessThan(Number(saved?.id));
  });
});

function fail(message: string): never {
  throw new Error(message);
}
