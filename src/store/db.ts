import { AsyncLocalStorage } from 'node:async_hooks';

export type Row = Record<string, unknown>;

/** The one thing the store's SQL needs: run a statement (one per call) with positional parameters. */
export interface Queryable {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A driver (PGlite or a pg Pool) behind the same tiny interface, so the store has a single SQL implementation. */
export interface Database extends Queryable {
  /** Runs `fn` in BEGIN … COMMIT on one connection; rolls back and rethrows if `fn` throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A database error reduced to what callers need. Drivers rethrow as this so bound parameters (which may be
 * OAuth tokens: PGlite attaches them to its errors) and row details never reach a log line.
 */
export class DbError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly constraint: string | undefined,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof DbError && err.code === '23505';
}

/**
 * Errors from the server carry a SQLSTATE `code`; anything else (connection refused, …) passes through.
 * Duck-typed rather than instanceof, which fails for errors created in another realm.
 */
export function toDbError(err: unknown): unknown {
  if (typeof err !== 'object' || err === null || !('code' in err) || !('message' in err)) return err;
  const { code, message } = err;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || typeof message !== 'string') return err;
  const constraint = 'constraint' in err && typeof err.constraint === 'string' ? err.constraint : undefined;
  return new DbError(message, code, constraint);
}

const insideTransaction = new AsyncLocalStorage<true>();

/**
 * Calling the store from inside a transaction callback (e.g. from a token refresh function) would deadlock:
 * PGlite queues every query behind the open transaction, and on Postgres a token write would wait on our own
 * row lock. Failing fast turns a hang into a readable error, identically on both drivers.
 */
export function assertOutsideTransaction(): void {
  if (insideTransaction.getStore()) {
    throw new Error('store called from inside one of its own transactions (e.g. from a token refresh function)');
  }
}

export function guardReentry(db: Database): Database {
  return {
    query: async (sql, params) => {
      assertOutsideTransaction();
      return db.query(sql, params);
    },
    transaction: async (fn) => {
      assertOutsideTransaction();
      return db.transaction((tx) => insideTransaction.run(true, () => fn(tx)));
    },
    close: () => db.close(),
  };
}
