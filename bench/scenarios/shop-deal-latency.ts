import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, type Scenario, type TableRow } from '../support/scenario';
import { failedRecordWorkflows, newBuyer, purchaseAtRate, type Buyer, type PurchaseDeal } from '../support/shop-purchases';
import { startBenchStack } from '../support/stack';
import { reportSummary, summarize } from '../support/stats';

const TIMEOUT_MS = 120_000;

/**
 * Scenario 7: purchases made in the shop's UI at a steady rate, through the shop's events on a real RabbitMQ. Reported:
 * time until HubSpot has the deal (HubSpot's own stamp of the create), first for buyers new to the CRMs (their contact
 * and company are created in HubSpot first), then for the same buyers again, whose contact is in HubSpot by then.
 */
export const shopDealLatencyScenario: Scenario = {
  name: 'shop-deal-latency',
  summary: 'purchases in the shop: time until the HubSpot deal exists, for a new buyer and for one already in HubSpot',
  async run({ base, options }) {
    const stack = await startBenchStack({ ...base, profile: LIFTED, shop: true });
    try {
      const { shopDealCount: count, shopDealRate: ratePerSecond } = options;
      progress(`shop-deal-latency: ${count} purchases by new buyers at ${ratePerSecond}/s`);
      const fresh = await purchaseAtRate(stack, { count, ratePerSecond, timeoutMs: TIMEOUT_MS, buyer: (i) => newBuyer(stack, 'deal', i) });
      const buyers = fresh.deals.map((deal) => deal.buyer);
      if (buyers.length === 0) throw new Error('no purchase by a new buyer became a deal');
      progress(`shop-deal-latency: ${count} purchases by buyers already in HubSpot at ${ratePerSecond}/s`);
      const known = await purchaseAtRate(stack, { count, ratePerSecond, timeoutMs: TIMEOUT_MS, buyer: async (i) => buyers[i % buyers.length] as Buyer });
      const cases = { newBuyer: caseFigures(fresh), buyerInHubspot: caseFigures(known) };
      const failed = await failedRecordWorkflows(stack);
      return {
        figures: { purchasesPerCase: count, ratePerSecond, untilDealMs: cases, failedRecordWorkflows: failed, limits: LIFTED.name },
        rows: [...caseRows('new buyer', ratePerSecond, cases.newBuyer), ...caseRows('buyer in HubSpot', ratePerSecond, cases.buyerInHubspot), { metric: 'record workflows failed', value: String(failed) }],
      };
    } finally {
      await stack.close();
    }
  },
};

function caseFigures(run: { deals: PurchaseDeal[]; missing: number }) {
  return { ...reportSummary(summarize(run.deals.map((d) => d.latencyMs))), missing: run.missing };
}

function caseRows(label: string, rate: number, figures: ReturnType<typeof caseFigures>): TableRow[] {
  return [{ metric: `${label} @${rate}/s until deal p50 / p95 / p99`, value: `${ms(figures.p50)} / ${ms(figures.p95)} / ${ms(figures.p99)} (n=${figures.count ?? 0}, never ${figures.missing})` }];
}
