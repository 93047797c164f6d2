import { z } from 'zod';
import { FakeData } from '../common/fake-data';
import type { Business, PurchaseLine, PurchaseStatus, User } from './records';
import type { ShopData } from './shop-data';

export const SeedRequest = z
  .object({
    users: z.number().int().min(0).max(1_000_000).default(0),
    businesses: z.number().int().min(0).max(1_000_000).default(0),
    purchases: z.number().int().min(0).max(1_000_000).default(0),
    seed: z.number().int().default(1),
  })
  .strict();
export type SeedRequest = z.infer<typeof SeedRequest>;

const HOUR = 3_600_000;
/** A fixed start, not "now": the same seed gives the same records (timestamps included) on every run. */
const EPOCH = Date.UTC(2025, 0, 1);
const CATALOG = [
  { sku: 'SUB-STARTER', name: 'Starter subscription (12 months)', price: 19_900 },
  { sku: 'SUB-PRO', name: 'Pro subscription (12 months)', price: 59_900 },
  { sku: 'SEAT-ADD', name: 'Additional seat', price: 4_900 },
  { sku: 'ONBOARD', name: 'Onboarding workshop', price: 120_000 },
  { sku: 'HW-SCAN', name: 'Barcode scanner', price: 8_950 },
  { sku: 'HW-PRINT', name: 'Label printer', price: 21_500 },
  { sku: 'SUPPORT-PRIO', name: 'Priority support', price: 35_000 },
] as const;
const CURRENCIES = ['EUR', 'EUR', 'USD', 'USD', 'GBP', 'SEK'] as const;
const STATUSES: readonly [PurchaseStatus, ...PurchaseStatus[]] = ['fulfilled', 'fulfilled', 'fulfilled', 'paid', 'paid', 'pending', 'refunded', 'cancelled'];

/**
 * Deterministic businesses, users (about 70% in a seeded business, most with an email on its domain) and purchases
 * with one to three line items, bought by seeded users on behalf of their business. Rows go straight into the tables
 * with no events, like an import; created_at grows with the id, as it does for real inserts.
 */
export function seed(data: ShopData, request: SeedRequest): { users: number; businesses: number; purchases: number } {
  const fake = new FakeData(request.seed);
  const { users: userTable, businesses: businessTable, purchases: purchaseTable } = data.tables;
  const latest = [...userTable.all(), ...businessTable.all(), ...purchaseTable.all()].reduce((max, row) => Math.max(max, Date.parse(row.created_at)), 0);
  let at = Math.max(EPOCH, latest + 1000);
  const tick = (): number => (at += fake.int(1, 2 * HOUR));

  const businesses: Array<{ row: Business; company: ReturnType<FakeData['company']> }> = [];
  for (let i = 0; i < request.businesses; i += 1) {
    const company = fake.company();
    businesses.push({ company, row: businessTable.insert({ name: company.name, domain: company.domain }, {}, tick()) });
  }
  const users: User[] = [];
  for (let i = 0; i < request.users; i += 1) {
    const business = businesses.length > 0 && fake.chance(0.7) ? fake.pick(businesses) : undefined;
    const person = fake.person(business?.company);
    users.push(userTable.insert({ email: person.email.toLowerCase(), first_name: person.firstName, last_name: person.lastName, business_id: business?.row.id ?? null }, {}, tick()));
  }
  let purchases = 0;
  for (let i = 0; i < request.purchases && users.length > 0; i += 1) {
    const buyer = fake.pick(users);
    const lines: PurchaseLine[] = Array.from({ length: fake.int(1, 3) }, () => {
      const item = fake.pick(CATALOG);
      const quantity = fake.int(1, 5);
      return { sku: item.sku, name: item.name, quantity, unit_price_minor: item.price, total_minor: quantity * item.price };
    });
    const total = lines.reduce((sum, line) => sum + line.total_minor, 0);
    const status = fake.pick(STATUSES);
    const refunded = status === 'refunded' ? total : status === 'fulfilled' && fake.chance(0.1) ? lines[0]?.unit_price_minor ?? 0 : 0;
    purchaseTable.insert({ user_id: buyer.id, business_id: buyer.business_id, currency: fake.pick(CURRENCIES), status, lines, total_minor: total, refunded_minor: refunded }, {}, tick());
    purchases += 1;
  }
  return { users: request.users, businesses: request.businesses, purchases };
}
