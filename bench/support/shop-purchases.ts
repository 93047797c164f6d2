import { minorToMajor } from '../../src/connectors/shop/money';
import { WORKFLOW_TYPES } from '../../src/workflows/messages';
import { shopClient } from '../../test/support/shop-admin';
import { hubspotAdmin } from '../../test/support/sim-client';
import { runPoolLoad, type PoolLoadOptions, type PoolLoadResult } from './live-load';
import { paced } from './pacer';
import type { BenchStack } from './stack';

/** A shop purchase and the HubSpot deal sync made of it. */
export interface PurchaseDeal {
  purchaseId: string;
  dealId: string;
  buyer: Buyer;
  /** ms from the purchase sent through the shop's UI to HubSpot's stamp of the deal's creation */
  latencyMs: number;
}

export interface Buyer {
  userId: string;
  businessId: string | null;
}

const CURRENCY = 'EUR';
const UNIT_PRICE_MINOR = 100;

export function shopOf(stack: BenchStack): ReturnType<typeof shopClient> {
  if (!stack.shop) throw new Error('this stack was started without the shop');
  return shopClient(stack.shop.url);
}

/**
 * A buyer the CRMs have never heard of: a new business and a user in it, as a person adds them in the shop. Their
 * purchase's deal needs both created in HubSpot first.
 */
export async function newBuyer(stack: BenchStack, label: string, index: number): Promise<Buyer> {
  const shop = shopOf(stack);
  const domain = `${label}-${index}.bench.example`;
  const business = await shop.create('businesses', { name: `Bench ${label} ${index}`, domain });
  const user = await shop.create('users', { email: `buyer@${domain}`, first_name: 'Bench', last_name: `${label} ${index}`, business_id: business.id });
  return { userId: user.id, businessId: business.id };
}

/**
 * Purchases made in the shop's UI at a steady rate (open loop), each timed until HubSpot has its deal: the deal's
 * shop_purchase_id set by our write, which HubSpot notifies with its own timestamp. Deals not seen within timeoutMs
 * are counted, not returned.
 */
export async function purchaseAtRate(
  stack: BenchStack,
  options: { count: number; ratePerSecond: number; timeoutMs: number; buyer: (index: number) => Promise<Buyer> },
): Promise<{ deals: PurchaseDeal[]; missing: number }> {
  const shop = shopOf(stack);
  const deals: PurchaseDeal[] = [];
  let missing = 0;
  await paced({ ratePerSecond: options.ratePerSecond, count: options.count }, async (i) => {
    const buyer = await options.buyer(i);
    const sentAt = Date.now();
    const purchase = await shop.create('purchases', { user_id: buyer.userId, business_id: buyer.businessId, currency: CURRENCY, status: 'paid', lines: [line(1)] });
    // Registered after the create answered, which is before the purchase event can have gone through sync.
    const deal = await stack.watch.waitForHubspotValue('deal', 'shop_purchase_id', purchase.id, options.timeoutMs);
    if (deal) deals.push({ purchaseId: purchase.id, dealId: deal.id, buyer, latencyMs: deal.at - sentAt });
    else missing++;
  });
  return { deals, missing };
}

/**
 * Purchase edits in the shop's UI (the quantity, so the deal's amount changes), each timed until HubSpot has the new
 * amount written by us: the pooled load of live-load.ts over purchases that have a deal.
 */
export async function editPurchases(stack: BenchStack, options: PoolLoadOptions<PurchaseDeal>): Promise<PoolLoadResult> {
  const shop = shopOf(stack);
  // Every edit must change its purchase's amount, or no deal write follows and the edit is never seen. The pool's
  // purchases were made with quantity 1, and each edit of a stack's life gets a quantity none before it had: a run
  // that started again from 2 set, edit for edit, the quantities of the run before it (counted lost until 2026-12-06).
  const base = nextQuantity.get(stack) ?? 2;
  const quantity = (seq: number) => base + seq;
  let next = base;
  try {
    return await runPoolLoad(options, {
      arrival: (record, seq, _sentAt, timeoutMs) =>
        stack.watch.waitForHubspot('deal', record.dealId, (c) => c.property === 'amount' && c.value === minorToMajor(quantity(seq) * UNIT_PRICE_MINOR, CURRENCY) && c.source === 'INTEGRATION', timeoutMs),
      send: async (record, seq) => {
        next = Math.max(next, quantity(seq) + 1);
        await shop.update('purchases', record.purchaseId, { lines: [line(quantity(seq))] });
      },
    });
  } finally {
    nextQuantity.set(stack, next);
  }
}

/** The first quantity no edit of the stack has set yet. */
const nextQuantity = new WeakMap<BenchStack, number>();

/**
 * Pool deals whose amount in HubSpot is not their purchase's total once everything is quiet: an edit that never
 * arrived tells a late one (counted as timed out, then right here) from a lost one (still wrong here).
 */
export async function dealsNotMatchingTheirPurchase(stack: BenchStack, pool: PurchaseDeal[]): Promise<number> {
  const [purchases, deals] = await Promise.all([shopOf(stack).records<{ id: string; total_minor: number }>('purchases'), hubspotAdmin(stack.hubspot.url).records('deals')]);
  return pool.filter((record) => {
    const purchase = purchases.find((p) => p.id === record.purchaseId);
    const deal = deals.find((d) => d.id === record.dealId);
    return !purchase || !deal || deal.properties.amount !== minorToMajor(purchase.total_minor, CURRENCY);
  }).length;
}

function line(quantity: number) {
  return { sku: 'BENCH-1', name: 'Bench item', quantity, unit_price_minor: UNIT_PRICE_MINOR };
}

/**
 * Record workflows that ended failed: a record whose workflow fails is not synced again until its next change, so a
 * latency run counts them beside the deals that never came.
 */
export async function failedRecordWorkflows(stack: BenchStack): Promise<number> {
  const { count } = await stack.client.workflow.count(`WorkflowType='${WORKFLOW_TYPES.recordSync}' AND ExecutionStatus='Failed'`);
  return count;
}
