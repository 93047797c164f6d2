import { Pool, type PoolClient } from 'pg';
import { type Database, type Queryable, type Row, toDbError } from './db';

export interface PgLogger {
  warn(obj: object, msg: string): void;
}

function wrap(target: Pool | PoolClient): Queryable {
  return {
    query: async (sql, params = []) => {
      try {
        const result = await target.query<Row>(sql, [...params]);
        return result.rows;
      } catch (err) {
        throw toDbError(err);
      }
    },
  };
}

/** Production driver: a pg Pool on DATABASE_URL. Each transaction holds one pooled connection until it ends. */
export function openPgDatabase(connectionString: string, logger?: PgLogger): Database {
  const pool = new Pool({ connectionString });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the process.
  // The pool discards the client and opens a new one on the next checkout, so a warning is enough.
  pool.on('error', (err) => logger?.warn({ err: { message: err.message } }, 'idle Postgres connection failed'));
  const direct = wrap(pool);
  return {
    query: (sql, params) => direct.query(sql, params),
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client whose connection dies (PostgreSQL restarted) emits 'error' on itself, not on the pool:
      // unhandled, that crashed the worker. Its pending or next query fails as well, which fails the transaction.
      const onError = (err: Error) => {
        broken = true;
        logger?.warn({ err: { message: err.message } }, 'Postgres connection failed inside a transaction');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // The connection is unusable; destroy it instead of handing it to the next caller.
          broken = true;
        }
        throw toDbError(err);
      } finally {
        // a broken client is destroyed, and may still report its end: it keeps the listener
        if (!broken) client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
