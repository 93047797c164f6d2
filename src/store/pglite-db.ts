import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { acquireDataDirLock } from './data-dir-lock';
import { type Database, type Queryable, type Row, toDbError } from './db';

/**
 * How long a transaction may hold the thread before it gives the event loop a turn. It holds PGlite's one session all
 * the while: a live save (a few statements, a few ms) that yielded after each statement kept every other store call
 * of the worker waiting through a turn of a busy event loop per statement (at 50 edits/s its own-writes records waited
 * 37 ms on average, 1 ms without), while a backfill page's statements (tens of ms) must still let webhooks and live
 * I/O in.
 */
export const TRANSACTION_SLICE_MS = 5;

async function run(target: PGlite | Transaction, sql: string, params: readonly unknown[]): Promise<Row[]> {
  try {
    return (await target.query<Row>(sql, [...params])).rows;
  } catch (err) {
    throw toDbError(err);
  }
}

function wrapTransaction(tx: Transaction): Queryable {
  let since = performance.now();
  return {
    query: async (sql, params = []) => {
      const rows = await run(tx, sql, params);
      if (performance.now() - since >= TRANSACTION_SLICE_MS) {
        await nextTurnOfEventLoop();
        since = performance.now();
      }
      return rows;
    },
  };
}

/**
 * Embedded Postgres in this process. `dataDir` undefined = in memory. PGlite is a single session: it runs one
 * transaction (or query) at a time and queues the rest, which is exactly the serialization the token lock needs
 * in-process. It has no protection against a second process opening the same directory, hence the lock file.
 */
export async function openPgliteDatabase(dataDir: string | undefined): Promise<Database> {
  let release = (): void => {};
  if (dataDir !== undefined) {
    mkdirSync(dirname(dataDir), { recursive: true });
    release = acquireDataDirLock(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  } catch (err) {
    release();
    throw err;
  }
  return {
    query: async (sql, params = []) => {
      const rows = await run(pglite, sql, params);
      // PGlite runs the statement synchronously on this thread and resolves at once: a turn of the event loop between
      // one store call and the next lets webhooks and live activities in (the session is free meanwhile).
      await nextTurnOfEventLoop();
      return rows;
    },
    transaction: async (fn) => {
      try {
        return await pglite.transaction((tx) => fn(wrapTransaction(tx)));
      } catch (err) {
        throw toDbError(err);
      }
    },
    close: async () => {
      try {
        await pglite.close();
      } finally {
        release();
      }
    },
  };
}
