import { type Database, guardReentry } from './db';
import { migrate } from './migrations';
import { type PgLogger, openPgDatabase } from './pg-db';
import { openPgliteDatabase } from './pglite-db';
import { createSqlStore } from './sql-store';
import type { SyncStore } from './types';

export { EntitySaveError, StaleRevisionError } from './types';
export type { Entity, EntitySave, FailureInput, FailureRow, Link, StoredToken, SyncOperation, SyncStore } from './types';
export { DbError, isUniqueViolation, type Database, type Queryable, type Row } from './db';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export { createSqlStore } from './sql-store';

export interface StoreOptions {
  /** Postgres (production; required when more than one process shares the state). Wins over dataDir. */
  databaseUrl?: string;
  /** PGlite data directory, e.g. .data/pglite; undefined = in memory (lost on close). */
  dataDir?: string;
  /** Receives connection-level warnings from the pg pool (a pino logger fits). */
  logger?: PgLogger;
}

/** The raw database behind a store, without migrating: for tools and tests that inspect the schema. */
export async function openDatabase(options: StoreOptions): Promise<Database> {
  const raw =
    options.databaseUrl !== undefined
      ? openPgDatabase(options.databaseUrl, options.logger)
      : await openPgliteDatabase(options.dataDir);
  return guardReentry(raw);
}

/** Opens the database behind the store and brings its schema up to date before returning. */
export async function openStore(options: StoreOptions): Promise<SyncStore> {
  const db = await openDatabase(options);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return createSqlStore(db);
}
