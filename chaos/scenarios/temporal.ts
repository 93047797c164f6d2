import type { ChaosScenario } from '../support/scenario';
import type { CrmAdmins } from '../support/crm-state';
import { killLoop } from './kill-loop';

export const temporalRestartScenario: ChaosScenario = {
  name: 'temporal-restart',
  summary: 'the Temporal server killed with SIGKILL every 30-40 s and started again on its state file',
  needs: ['temporal'],
  fault: killLoop('temporal', { firstAfterMs: [10_000, 20_000], upMs: [30_000, 40_000] }),
};

/** Webhook events both CRMs have had answered 2xx so far. */
async function acceptedEvents(admins: CrmAdmins): Promise<number> {
  const [hubspot, zoho] = await Promise.all([admins.hubspot.stats(), admins.zoho.stats()]);
  return hubspot.webhooks.delivered + zoho.webhooks.delivered;
}

const OUTAGE_MS = 60_000;
/** the outage starts this far into the load, and the load goes on at least this long after it */
const MARGIN_MS = 10_000;

/**
 * Temporal down for a minute while the person keeps editing. The API cannot start or signal a workflow then, so it must
 * refuse every delivery (the CRMs deliver again later) rather than accept and drop it: every event answered 2xx
 * meanwhile is counted. What a CRM gives up on (Zoho's few retries are over within seconds) reconciliation must catch.
 */
export const temporalDownScenario: ChaosScenario = {
  name: 'temporal-down',
  summary: 'the Temporal server down for 60 s while edits go on',
  needs: ['temporal'],
  fault: async (context) => {
    const outageMs = Math.min(OUTAGE_MS, context.loadMs - 2 * MARGIN_MS);
    if (outageMs <= 0) throw new Error(`temporal-down needs a load longer than ${(2 * MARGIN_MS) / 1000} s`);
    await context.pause(MARGIN_MS);
    await context.topology.kill('temporal');
    const downAt = Date.now();
    const before = await acceptedEvents(context.admins);
    context.log(`Temporal killed; down for ${outageMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    const acceptedWhileTemporalDown = (await acceptedEvents(context.admins)) - before;
    await context.topology.start('temporal');
    const clearedAt = Date.now();
    context.log(`Temporal back after ${Math.round((clearedAt - downAt) / 1000)} s; ${acceptedWhileTemporalDown} events were answered 2xx meanwhile`);
    return { clearedAt, figures: { acceptedWhileTemporalDown }, details: { downSeconds: Math.round((clearedAt - downAt) / 1000) } };
  },
};
