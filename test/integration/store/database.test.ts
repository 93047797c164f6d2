import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Database, DbError, MIGRATIONS, migrate, openDatabase, openStore } from '../../../src/store';
import { openPgDatabase } from '../../../src/store/pg-db';
import { waitFor } from '../../support/wait-for';
import { describeEachBackend, type TestDatabase } from './backends';

describeEachBackend('schema migrations', (backend) => {
  let database: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    database = await backend.createDatabase();
    db = await openDatabase(database.options);
  });
  afterAll(async () => {
    await db?.close();
    await database?.dispose();
  });
  const raw = (): Database => db ?? fail();

  it('applies every migration once; running again, or opening a store on it, applies nothing', async () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(await migrate(raw())).toEqual(versions);
    expect(await migrate(raw())).toEqual([]);
    if (backend.name === 'postgres') await (await openStore(database?.options ?? fail())).close();
    const rows = await raw().query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => Number(row.version))).toEqual(versions);
  });

  it('rolls back a failing migration completely and records nothing', async () => {
    await migrate(raw());
    const broken = { version: 999, name: 'broken', statements: ['CREATE TABLE half_done (id int)', 'SELECT nope'] };
    await expect(migrate(raw(), [...MIGRATIONS, broken])).rejects.toBeInstanceOf(DbError);
    expect(await raw().query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'")).toEqual([]);
    expect(await raw().query('SELECT 1 FROM schema_migrations WHERE version = 999')).toEqual([]);
  });

  it('strips bound parameters from database errors, so a token in a failing statement is never logged', async () => {
    const failed = await raw()
      .query('SELECT $1::text AS token, no_such_column', ['secret-access-token'])
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(DbError);
    expect(failed).toMatchObject({ code: '42703' });
    expect(inspect(failed, { depth: 5 })).not.toContain('secret-access-token');
  });

  if (backend.name === 'postgres') {
    it('a connection cut inside a transaction (PostgreSQL restarted) fails that transaction, not the process', async () => {
      // Unhandled, the client's 'error' event crashed a worker of the production topology (jest would swallow it):
      // the driver must take it, which it reports through its logger.
      const warnings: string[] = [];
      const url = database?.options.databaseUrl ?? fail();
      const pg = openPgDatabase(url, { warn: (_obj, message) => warnings.push(message) });
      try {
        const cut = pg.transaction(async (tx) => {
          const [row] = await tx.query('SELECT pg_backend_pid() AS pid');
          await raw().query('SELECT pg_terminate_backend($1)', [row?.pid]);
          // the connection dies between two statements, as when PostgreSQL stops while a pass waits on a CRM call
          await waitFor(async () => (await raw().query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [row?.pid])).length === 0, 'the backend to end');
          await tx.query('SELECT 1');
        });
        await expect(cut).rejects.toThrow();
        expect(warnings).toContain('Postgres connection failed inside a transaction');
        expect(await pg.transaction((tx) => tx.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
      } finally {
        await pg.close();
      }
    });

    it('lets two processes start on an empty database at once (they take turns migrating)', async () => {
      const fresh = await backend.createDatabase();
      try {
        const stores = await Promise.all([openStore(fresh.options), openStore(fresh.options)]);
        await Promise.all(stores.map((store) => store.countEntities()));
        await Promise.all(stores.map((store) => store.close()));
      } finally {
        await fresh.dispose();
      }
    });
  }
});

function fail(): never {
  throw new Error('database not open');
}

describe('PGlite data directory', () => {
  // Made in beforeAll, not at collection time, so a filtered run (-t) leaves no directory behind.
  let root = '';
  let dataDir = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'crm-sync-store-'));
    dataDir = join(root, 'nested', 'pglite');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps entities, failures and tokens across close and reopen, without re-running migrations', async () => {
    const first = await openStore({ dataDir });
    const ref = { system: 'hubspot', object: 'company', id: 'hs-1' } as const;
    const link = (recordId: string, version: string) => ({ recordId, base: { name: 'Acme' }, version, modifiedAt: null });
    const links = { hubspot: link('hs-1', '1'), zoho: link('zo-1', '2') };
    await first.saveEntity({ id: null, object: 'company', base: { name: 'Acme' }, links, expectedRevision: null });
    const failure = { ref, operation: 'update', category: 'auth', message: 'expired', fields: [], workflowId: 'w' } as const;
    await first.recordFailure({ ...failure, fields: [] });
    const token = { system: 'zoho', accessToken: 'a', refreshToken: 'r', expiresAt: 123 } as const;
    await first.withTokenLock('zoho', () => Promise.resolve(token));
    await first.close();

    const second = await openStore({ dataDir });
    try {
      const reread = await second.getEntity({ system: 'zoho', object: 'company', id: 'zo-1' });
      expect(reread).toMatchObject({ revision: 1, base: { name: 'Acme' }, links });
      expect(await second.failuresSince(new Date().toISOString())).toMatchObject([{ ref, attempts: 1 }]);
      expect(await second.getToken('zoho')).toEqual(token);
    } finally {
      await second.close();
    }
    const raw = await openDatabase({ dataDir });
    try {
      expect(await migrate(raw)).toEqual([]);
      expect(await raw.query('SELECT version FROM schema_migrations')).toHaveLength(MIGRATIONS.length);
    } finally {
      await raw.close();
    }
  });

  it('refuses a second open of a directory that is in use, and allows it after close', async () => {
    const store = await openStore({ dataDir });
    await expect(openStore({ dataDir })).rejects.toThrow(/in use by process/);
    await store.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    await (await openStore({ dataDir })).close();
  });

  it('takes over a lock left behind by a process that has exited', async () => {
    const exited = spawnSync(process.execPath, ['-e', '0']);
    expect(exited.status).toBe(0);
    writeFileSync(`${dataDir}.lock`, String(exited.pid));
    const store = await openStore({ dataDir });
    await store.close();
  });
});
