import { between, type ChaosScenario, type FaultContext, type FaultOutcome } from '../support/scenario';
import type { Part } from '../support/topology';

/** How long the part stays down each time: long enough for every client's connection to have failed. */
const DOWN_MS: [number, number] = [10_000, 20_000];

/**
 * A part crashed twice during the load, in its first two thirds so the load runs on after the last one, down 10-20 s
 * each time, then started again on its data.
 */
export async function crashTwice(context: FaultContext, part: Part): Promise<FaultOutcome> {
  let restarts = 0;
  let downMs = 0;
  const startedAt = Date.now();
  let clearedAt = startedAt;
  for (const share of [0.15, 0.6]) {
    if (!(await context.pause(Math.max(0, between(0.8, 1.2) * share * context.loadMs - (Date.now() - startedAt))))) break;
    const killedAt = Date.now();
    await context.topology.kill(part);
    // the outage itself: how long the part stays down is the fault, not a wait for a result
    await new Promise((resolve) => setTimeout(resolve, between(...DOWN_MS)));
    await context.topology.start(part);
    clearedAt = Date.now();
    downMs += clearedAt - killedAt;
    restarts++;
    context.log(`${part} killed and back after ${clearedAt - killedAt} ms (restart ${restarts})`);
  }
  return { clearedAt, details: { restarts, meanDownMs: restarts ? Math.round(downMs / restarts) : 0 } };
}

/**
 * crm-sync's store (PostgreSQL) stopped as a crash would (immediate shutdown: no checkpoint, connections cut, crash
 * recovery at the next start). Activities that need it fail and retry; nothing a person changed meanwhile may be lost
 * or written twice.
 */
export const storeRestartScenario: ChaosScenario = {
  name: 'postgres-restart',
  summary: "crm-sync's PostgreSQL killed (immediate shutdown) twice, down 10-20 s each time, and started again",
  needs: ['store'],
  fault: (context) => crashTwice(context, 'store'),
};
