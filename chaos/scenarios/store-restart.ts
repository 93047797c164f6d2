import { between, type ChaosScenario } from '../support/scenario';

/** How long the store stays down each time: long enough for every worker and API connection to have failed. */
const DOWN_MS: [number, number] = [10_000, 20_000];

/**
 * crm-sync's store (PostgreSQL) stopped as a crash would (immediate shutdown: no checkpoint, connections cut, crash
 * recovery at the next start) twice during the load, down 10-20 s each time. Activities that need it fail and retry;
 * nothing a person changed meanwhile may be lost or written twice.
 */
export const storeRestartScenario: ChaosScenario = {
  name: 'postgres-restart',
  summary: "crm-sync's PostgreSQL killed (immediate shutdown) twice, down 10-20 s each time, and started again",
  needs: ['store'],
  async fault(context) {
    let restarts = 0;
    let downMs = 0;
    const startedAt = Date.now();
    let clearedAt = startedAt;
    // the two crashes fall in the first two thirds of the load, so the load runs on after the last one
    for (const share of [1 / 6, 1 / 2]) {
      if (!(await context.pause(Math.max(0, between(0.8, 1.2) * share * context.loadMs - (Date.now() - startedAt))))) break;
      const killedAt = Date.now();
      await context.topology.kill('store');
      await new Promise((resolve) => setTimeout(resolve, between(...DOWN_MS)));
      await context.topology.start('store');
      clearedAt = Date.now();
      downMs += clearedAt - killedAt;
      restarts++;
      context.log(`store killed and back after ${clearedAt - killedAt} ms (restart ${restarts})`);
    }
    return { clearedAt, details: { restarts, meanDownMs: restarts ? Math.round(downMs / restarts) : 0 } };
  },
};
