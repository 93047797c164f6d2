import type { FaultSettings } from '../../src/sandbox/common/faults';
import type { ChaosScenario, FaultContext, FaultOutcome } from '../support/scenario';

/** Whatever the load's length, the fault leaves this much of it clean at the start (the load is up to speed). */
const WARM_UP_MS = 5_000;

/**
 * Both CRMs misbehave (the same /_sim/faults settings on each) from shortly after the load starts until it ends; then
 * the faults are cleared and the system must catch up.
 */
function crmFaultWindow(faults: Partial<FaultSettings>) {
  return async (context: FaultContext): Promise<FaultOutcome> => {
    const { hubspot, zoho } = context.admins;
    if (!(await context.pause(WARM_UP_MS))) return { clearedAt: Date.now() };
    await Promise.all([hubspot.faults(faults), zoho.faults(faults)]);
    const since = Date.now();
    context.log(`CRM faults on: ${JSON.stringify(faults)}`);
    try {
      while (await context.pause(60_000));
    } finally {
      await Promise.all([hubspot.clearFaults(), zoho.clearFaults()]);
    }
    const clearedAt = Date.now();
    context.log(`CRM faults cleared after ${Math.round((clearedAt - since) / 1000)} s`);
    return { clearedAt, details: { faultSeconds: Math.round((clearedAt - since) / 1000) } };
  };
}

export const storm5xxScenario: ChaosScenario = {
  name: 'storm-5xx',
  summary: 'half the API calls to both CRMs answered 500/502/503/504',
  needs: [],
  fault: crmFaultWindow({ errorRate: 0.5 }),
};

export const storm429Scenario: ChaosScenario = {
  name: 'storm-429',
  summary: 'half the API calls to both CRMs answered 429 (rate limited)',
  needs: [],
  fault: crmFaultWindow({ rateLimitRate: 0.5 }),
};

export const dupReorderScenario: ChaosScenario = {
  name: 'dup-reorder',
  summary: "a third of both CRMs' webhook events delivered twice, and every delivery shuffled",
  needs: [],
  fault: crmFaultWindow({ webhookDuplicateRate: 0.3, webhookReorder: true }),
};

/**
 * Every access token of both CRMs expires at once, again and again. Every 30 s rather than every minute, so that a run
 * of a minute and a half sees it three times; more often would run into Zoho's limit of 10 token requests per 10
 * minutes (the worker and the API each refresh), which is a limit of Zoho's, not a fault.
 */
export const tokenExpiryScenario: ChaosScenario = {
  name: 'token-expiry',
  summary: 'the access tokens of both CRMs expired every 30 s',
  needs: [],
  fault: async (context) => {
    let expiries = 0;
    let clearedAt = Date.now();
    while (await context.pause(expiries === 0 ? WARM_UP_MS : 30_000)) {
      await Promise.all([context.admins.hubspot, context.admins.zoho].map((admin) => admin.expireTokens()));
      expiries++;
      clearedAt = Date.now();
      context.log(`access tokens expired (${expiries})`);
    }
    return { clearedAt, details: { expiries } };
  },
};
