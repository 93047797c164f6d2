import { PGlite, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { acquireDataDirLock } from './data-dir-lock';
import { type Database, type Queryable, type Row, toDbError } from './db';

function wrap(target: PGlite | Transaction): Queryable {
  return {
    query: async (sql, params = []) => {
      try {
        const result = await target.query<Row>(sql, [...params]);
        // PGlite runs the statement synchronously on this thread and resolves at once: without a turn of the event
        // loop, a page's statements would run back to back while webhooks and live activities wait for I/O.
        await nextTurnOfEventLoop();
        return result.rows;
      } catch (err) {
        throw toDbError(err);
      }
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
  const direct = wrap(pglite);
  return {
    query: (sql, params) => direct.query(sql, params),
    transaction: async (fn) => {
      try {
        return await pglite.transaction((tx) => fn(wrap(tx)));
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
