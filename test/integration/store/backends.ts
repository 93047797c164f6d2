import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openStore, type StoreOptions, type SyncStore } from '../../../src/store';

/** An empty database for one suite; dispose drops it (Postgres) or does nothing (in-memory PGlite). */
export interface TestDatabase {
  options: StoreOptions;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: 'pglite' | 'postgres';
  /** Why the suite cannot run here; null when it runs. */
  skipReason: string | null;
  createDatabase(): Promise<TestDatabase>;
}

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

const pglite: StoreBackend = {
  name: 'pglite',
  skipReason: null,
  createDatabase: () => Promise.resolve({ options: {}, dispose: () => Promise.resolve() }),
};

/** Each suite gets its own database, so parallel test files and reruns never see each other's rows. */
async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `crm_sync_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    dispose: async () => {
      const dropper = new Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

const postgres: StoreBackend = {
  name: 'postgres',
  skipReason:
    TEST_DATABASE_URL === undefined || TEST_DATABASE_URL === ''
      ? 'TEST_DATABASE_URL not set; run `eval "$(.ci/postgres.sh)"` first (.ci/run always sets it)'
      : null,
  createDatabase: () => {
    if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL not set');
    return createPostgresDatabase(TEST_DATABASE_URL);
  },
};

export const STORE_BACKENDS: readonly StoreBackend[] = [pglite, postgres];

/** Runs `suite` once per backend; an unavailable backend shows up as a skipped block that says why. */
export function describeEachBackend(title: string, suite: (backend: StoreBackend) => void): void {
  for (const backend of STORE_BACKENDS) {
    if (backend.skipReason === null) describe(`${title} [${backend.name}]`, () => suite(backend));
    else describe.skip(`${title} [${backend.name}] SKIPPED: ${backend.skipReason}`, () => suite(backend));
  }
}

/** One store per suite (PGlite takes seconds to boot), on a fresh database; tests isolate by unique ids. */
export function useStore(backend: StoreBackend): () => SyncStore {
  let database: TestDatabase | undefined;
  let store: SyncStore | undefined;
  beforeAll(async () => {
    database = await backend.createDatabase();
    store = await openStore(database.options);
  });
  afterAll(async () => {
    await store?.close();
    await database?.dispose();
  });
  return () => {
    if (store === undefined) throw new Error('store not open');
    return store;
  };
}

let counter = 0;
/** Ids unique within a run and across reruns against the same database. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}
