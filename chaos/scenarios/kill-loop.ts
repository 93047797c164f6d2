import { between, type ChaosScenario, type FaultContext, type FaultOutcome } from '../support/scenario';
import type { Part } from '../support/topology';

/**
 * A part killed with SIGKILL again and again while the load runs, each time started again at once (as a supervisor
 * would), and left up for 20-30 s before the next kill. The last restart is the fault clearing.
 */
export function killLoop(part: Part, options: { firstAfterMs: [number, number]; upMs: [number, number] }) {
  return async (context: FaultContext): Promise<FaultOutcome> => {
    let kills = 0;
    let downMs = 0;
    let clearedAt = Date.now();
    let wait = between(...options.firstAfterMs);
    while (await context.pause(wait)) {
      const killedAt = Date.now();
      await context.topology.kill(part);
      kills++;
      await context.topology.start(part);
      clearedAt = Date.now();
      downMs += clearedAt - killedAt;
      context.log(`${part} killed and back after ${clearedAt - killedAt} ms (kill ${kills})`);
      wait = between(...options.upMs);
    }
    return { clearedAt, details: { kills, meanDownMs: kills ? Math.round(downMs / kills) : 0 } };
  };
}

export const workerKillScenario: ChaosScenario = {
  name: 'worker-kill',
  summary: 'the worker killed with SIGKILL every 20-30 s and started again',
  needs: ['worker'],
  fault: killLoop('worker', { firstAfterMs: [5_000, 15_000], upMs: [20_000, 30_000] }),
};

export const apiKillScenario: ChaosScenario = {
  name: 'api-kill',
  summary: 'the API killed with SIGKILL every 20-30 s and started again (webhooks refused meanwhile are redelivered)',
  needs: ['api'],
  fault: killLoop('api', { firstAfterMs: [5_000, 15_000], upMs: [20_000, 30_000] }),
};
