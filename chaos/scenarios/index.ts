import type { ChaosScenario } from '../support/scenario';
import { brokerRestartScenario } from './broker-restart';
import { burstScenario } from './burst';
import { dupReorderScenario, storm429Scenario, storm5xxScenario, tokenExpiryScenario } from './crm-faults';
import { hostileScenario } from './hostile';
import { apiKillScenario, workerKillScenario } from './kill-loop';
import { npmStartKillScenario } from './npm-start-kill';
import { storeRestartScenario } from './store-restart';
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
  storeRestartScenario,
  brokerRestartScenario,
  hostileScenario,
  burstScenario,
  npmStartKillScenario,
];
