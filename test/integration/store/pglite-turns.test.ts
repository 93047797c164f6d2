import type { Database } from '../../../src/store/db';
import { TRANSACTION_SLICE_MS, openPgliteDatabase } from '../../../src/store/pglite-db';

/**
 * PGlite runs every statement on the worker's thread and has one session: a transaction holds it from BEGIN to COMMIT,
 * and every other store call of the process waits meanwhile. A short transaction (a live save) must hold it for no
 * turn of the event loop, a long one (a backfill page) must still let the loop in between its statements.
 */
describe('PGlite transactions and the event loop', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPgliteDatabase(undefined);
    // a fresh database's first statements are slow (caches, JIT), longer than a live save's
    for (let n = 0; n < 20; n++) await db.query('SELECT $1::int AS n', [n]);
  });
  afterAll(() => db.close());

  /** Counts the turns of the event loop from now until `stop()`. */
  function countTurns(): { stop(): number } {
    let turns = 0;
    let counting = true;
    const turn = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    return {
      stop: () => {
        counting = false;
        return turns;
      },
    };
  }

  test('a short transaction holds the session through no turn of the event loop per statement', async () => {
    const statements = 20;
    const turns = countTurns();
    const order: string[] = [];
    let during = 0;
    let heldMs = 0;
    const start = performance.now();
    const transaction = db.transaction(async (tx) => {
      for (let n = 0; n < statements; n++) await tx.query('SELECT $1::int AS n', [n]);
      heldMs = performance.now() - start;
      during = turns.stop();
      order.push('transaction');
    });
    // made while the transaction holds the session: answered after it
    const read = db.query('SELECT 1 AS n').then(() => order.push('read'));
    await Promise.all([transaction, read]);
    expect(order).toEqual(['transaction', 'read']);
    // Yielding after each statement, the read waited through one turn per statement (20 here). A turn is given only
    // after a whole slice of holding the thread, so a loaded machine, on which these statements take longer, gives a
    // few, at most one per slice from its start to its last statement (and the counter's own first turn).
    expect(during).toBeLessThanOrEqual(Math.floor(heldMs / TRANSACTION_SLICE_MS) + 1);
  });

  test('a transaction that holds the thread longer gives the event loop turns between its statements', async () => {
    const turns = countTurns();
    let during = 0;
    await db.transaction(async (tx) => {
      // each statement alone holds the thread longer than a transaction may before it yields
      for (let n = 0; n < 3; n++) await tx.query('SELECT pg_sleep(0.01)');
      during = turns.stop();
    });
    expect(during).toBeGreaterThanOrEqual(3);
  });
});
