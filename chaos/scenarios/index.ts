import type { ChaosScenario } from '../support/scenario';
import { apiKillScenario, workerKillScenario } from './kill-loop';

/** Every scenario of `npm run chaos`, in the order a full run takes them. */
export const SCENARIOS: readonly ChaosScenario[] = [workerKillScenario, apiKillScenario];
