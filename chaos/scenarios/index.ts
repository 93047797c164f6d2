import type { ChaosScenario } from '../support/scenario';
import { dupReorderScenario, storm429Scenario, storm5xxScenario, tokenExpiryScenario } from './crm-faults';
import { apiKillScenario, workerKillScenario } from './kill-loop';
import { temporalDownScenario, temporalRestartScenario } from './temporal';

/** Every scenario of `npm run chaos`, in the order a full run takes them. */
export const SCENARIOS: readonly ChaosScenario[] = [
  workerKillScenario,
  apiKillScenario,
  temporalRestartScenario,
  temporalDownScenario,
  storm5xxScenario,
  storm429Scenario,
  tokenExpiryScenario,
  dupReorderScenario,
];
