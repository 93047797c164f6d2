import type { ChaosScenario } from '../support/scenario';
import { killLoop } from './kill-loop';

/**
 * `npm start` killed with SIGKILL at random moments, the whole process group at once (embedded Temporal dev server,
 * PGlite, worker and API), and started again at once on the same DATA_DIR, while a person keeps editing in both CRMs.
 * HubSpot redelivers what was refused meanwhile; Zoho's notifications that met a dead API are caught by
 * reconciliation, here every 20 s. Run on the npm-start topology: `npm run chaos -- npm-start-kill --topology=npm-start`.
 */
export const npmStartKillScenario: ChaosScenario = {
  name: 'npm-start-kill',
  summary: 'npm start (dev server, PGlite, worker, API) killed with SIGKILL every 15-30 s and started again; run with --topology=npm-start',
  needs: ['app'],
  env: { RECONCILE_INTERVAL: '20s' },
  fault: killLoop('app', { firstAfterMs: [5_000, 15_000], upMs: [15_000, 30_000] }),
};
