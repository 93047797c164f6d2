import { createContactsInHubspot } from '../support/linked-pool';
import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, type Scenario } from '../support/scenario';
import { startBenchStack } from '../support/stack';
import { reportSummary, summarize } from '../support/stats';

/**
 * Scenario 3: contacts created in HubSpot's UI at a steady rate. Reported: time until the new record exists in Zoho
 * (Zoho's insert notification, an upper bound by at most its 50 ms gathering window) and until the link is complete
 * (the Zoho id written back into HubSpot, HubSpot's own timestamp).
 */
export const createLatencyScenario: Scenario = {
  name: 'create-latency',
  summary: 'contacts created in HubSpot: time until the linked record exists in Zoho',
  async run({ base, options }) {
    const stack = await startBenchStack({ ...base, profile: LIFTED });
    try {
      progress(`create-latency: ${options.createCount} contacts at ${options.createRate}/s`);
      const { created, unlinked } = await createContactsInHubspot(stack, { count: options.createCount, ratePerSecond: options.createRate, label: 'create', timeoutMs: 60_000 });
      const inZoho = summarize(created.map((c) => c.zohoCreatedAt - c.createdAt));
      const linked = summarize(created.map((c) => c.linkedAt - c.createdAt));
      return {
        figures: {
          created: options.createCount,
          ratePerSecond: options.createRate,
          untilInZohoMs: reportSummary(inZoho),
          untilLinkedBothWaysMs: reportSummary(linked),
          neverLinked: unlinked,
          limits: LIFTED.name,
        },
        rows: [
          { metric: 'until in Zoho p50 / p99', value: `${ms(inZoho.p50)} / ${ms(inZoho.p99)} (n=${inZoho.count}, never ${unlinked})` },
          { metric: 'until linked both ways p50 / p99', value: `${ms(linked.p50)} / ${ms(linked.p99)}` },
        ],
      };
    } finally {
      await stack.close();
    }
  },
};
