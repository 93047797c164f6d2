import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startApi, type RunningApi } from '../../src/api';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createHubspotSimulator, type HubspotSimulator } from '../../src/sandbox/hubspot';
import { createShopSimulator, type ShopSimulator } from '../../src/sandbox/shop';
import { createZohoSimulator, type ZohoSimulator } from '../../src/sandbox/zoho';
import { syncStatusQuery } from '../../src/workflows/messages';
import { amqpUrl } from '../support/amqp';
import { freePort } from '../support/free-port';
import { shopClient, type ShopRecord } from '../support/shop-admin';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { installTestRuntime } from '../support/stack';
import { waitFor, waitForReady } from '../support/wait-for';
import { childStackEnv, startWorkerProcess, type GroupProcess } from '../support/worker-process';

jest.setTimeout(420_000);

const BUYERS = 8;

/**
 * Issue 13: the worker process is killed with SIGKILL while shop flows are in flight (new buyers' purchases becoming
 * HubSpot deals, a HubSpot customer becoming a shop business by command), then a new worker starts on the same state.
 * The simulators, the broker, Temporal and the API (its shop listener) live on in this process; the worker is
 * `npm run worker` in a process of its own.
 */
describe('shop flows across a worker killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-shop-kill-'));
  const line = { sku: 'SKU-K', name: 'Kettle', quantity: 3, unit_price_minor: 1250 };
  let hubspotSim: HubspotSimulator;
  let zohoSim: ZohoSimulator;
  let shopSim: ShopSimulator;
  let api: RunningApi;
  let connection: Connection;
  let client: Client;
  let worker: GroupProcess | undefined;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    await installTestRuntime();
    const apiPort = await freePort();
    const publicUrl = `http://127.0.0.1:${apiPort}`;
    const namePrefix = `t-${randomUUID().slice(0, 8)}.`;
    hubspotSim = await createHubspotSimulator({ port: 0, searchIndexDelayMs: 200, webhook: { targetUrl: `${publicUrl}/webhooks/hubspot`, batchDelayMs: 20 } });
    zohoSim = await createZohoSimulator({ port: 0, searchIndexDelayMs: 200 });
    shopSim = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix });
    env = {
      ...childStackEnv({ testFile: __filename, dataDir, apiPort, workerMetricsPort: await freePort(), hubspotUrl: hubspotSim.url, zohoUrl: zohoSim.url }),
      HUBSPOT_ACTIVITIES_PER_SECOND: '500',
      ZOHO_ACTIVITIES_PER_SECOND: '500',
      SHOP_ACTIVITIES_PER_SECOND: '500',
      SHOP_API_URL: shopSim.url,
      SHOP_API_KEY: 'sandbox-shop-key',
      AMQP_URL: amqpUrl(),
      SHOP_NAME_PREFIX: namePrefix,
      RECONCILE_INTERVAL: '0',
      COMMAND_REPLY_TIMEOUT: '3s',
    };
    // The API first (it makes the sandbox's keys in DATA_DIR, which the worker then reads); its store stays closed:
    // the worker's PGlite is the worker's alone.
    const config = loadConfig(env);
    api = await startApi(config, { logger: silentLogger, address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
    connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS ?? '' });
    client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
  });
  afterAll(async () => {
    await worker?.kill();
    await api?.stop();
    await connection?.close();
    await Promise.all([hubspotSim?.close(), zohoSim?.close(), shopSim?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const hubspot = () => hubspotAdmin(hubspotSim.url);
  const zoho = () => zohoAdmin(zohoSim.url);
  const shop = () => shopClient(shopSim.url);

  async function startWorker(): Promise<void> {
    worker = startWorkerProcess(env);
    // ready: a live worker, the Zoho channel registered, the shop listener consuming
    await waitForReady(api.url, 180_000, 200).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- worker output ---\n${worker?.output() ?? ''}`);
    });
  }

  /** Record workflows whose last pass failed (queried, so no visibility lag). */
  async function failedRecords(): Promise<string[]> {
    const failed: string[] = [];
    for await (const workflow of client.workflow.list({ query: "WorkflowType='recordSyncWorkflow' AND ExecutionStatus='Running'" })) {
      const status = await client.workflow.getHandle(workflow.workflowId).query(syncStatusQuery);
      if (status.status === 'failed') failed.push(`${workflow.workflowId}: ${status.lastError?.message ?? ''}`);
    }
    return failed;
  }

  interface Buyer {
    user: ShopRecord;
    purchase: ShopRecord;
    business: ShopRecord | null;
  }

  /** What is not (yet) as it must end: one line per problem, empty when everything is in place. */
  async function problems(buyers: readonly Buyer[], customer: { companyId: string; name: string }): Promise<string[]> {
    const [contacts, companies, deals, zohoContacts, zohoAccounts, users, businesses] = await Promise.all([
      hubspot().withAssociations('contacts'),
      hubspot().withAssociations('companies'),
      hubspot().withAssociations('deals'),
      zoho().records('Contacts'),
      zoho().records('Accounts'),
      shop().records('users'),
      shop().records('businesses'),
    ]);
    const live = <T extends { archived?: boolean }>(records: T[]) => records.filter((r) => !r.archived);
    const found: string[] = [];
    const exactlyOne = <T>(what: string, matches: T[]): T | undefined => {
      if (matches.length !== 1) found.push(`${what}: ${matches.length} records`);
      return matches.length === 1 ? matches[0] : undefined;
    };
    for (const { user, purchase, business } of buyers) {
      const email = String(user.email);
      const contact = exactlyOne(`HubSpot contact ${email}`, live(contacts).filter((c) => c.properties.email === email));
      const zohoContact = exactlyOne(`Zoho contact ${email}`, zohoContacts.filter((c) => c.Email === email && !c.$deleted && !c.deleted));
      const shopUser = exactlyOne(`shop user ${email}`, users.filter((u) => u.email === email && !u.deleted_at));
      const deal = exactlyOne(`deal of purchase ${purchase.id}`, live(deals).filter((d) => d.properties.shop_purchase_id === purchase.id));
      if (!contact || !zohoContact || !shopUser || !deal) continue;
      if (contact.properties.shop_user_id !== user.id) found.push(`${email}: HubSpot shop_user_id ${contact.properties.shop_user_id}`);
      if (contact.properties.zoho_record_id !== zohoContact.id) found.push(`${email}: HubSpot zoho_record_id ${contact.properties.zoho_record_id}`);
      if (zohoContact.HubSpot_ID !== contact.id) found.push(`${email}: Zoho HubSpot_ID ${String(zohoContact.HubSpot_ID)}`);
      if (shopUser.external_ids.hubspot !== contact.id || shopUser.external_ids.zoho !== zohoContact.id) found.push(`${email}: shop external_ids ${JSON.stringify(shopUser.external_ids)}`);
      if (JSON.stringify(deal.associations?.contacts) !== JSON.stringify([contact.id])) found.push(`deal ${purchase.id}: contacts ${JSON.stringify(deal.associations?.contacts)}`);
      if (deal.properties.amount !== '37.50') found.push(`deal ${purchase.id}: amount ${deal.properties.amount}`);
      const company = business ? exactlyOne(`HubSpot company ${String(business.name)}`, live(companies).filter((c) => c.properties.shop_business_id === business.id)) : undefined;
      const wantCompanies = company ? [company.id] : [];
      if (business && !company) continue;
      if (JSON.stringify(deal.associations?.companies ?? []) !== JSON.stringify(wantCompanies)) found.push(`deal ${purchase.id}: companies ${JSON.stringify(deal.associations?.companies)}`);
    }
    // the HubSpot customer: one shop business, its id back in HubSpot, the company once in Zoho
    const inShop = exactlyOne(`shop business of ${customer.name}`, businesses.filter((b) => b.name === customer.name && !b.deleted_at));
    const company = live(companies).find((c) => c.id === customer.companyId);
    if (inShop && inShop.external_ids.hubspot !== customer.companyId) found.push(`${customer.name}: shop external_ids ${JSON.stringify(inShop.external_ids)}`);
    if (inShop && company?.properties.shop_business_id !== inShop.id) found.push(`${customer.name}: HubSpot shop_business_id ${company?.properties.shop_business_id}`);
    exactlyOne(`Zoho account ${customer.name}`, zohoAccounts.filter((a) => a.Account_Name === customer.name && !a.$deleted && !a.deleted));
    return found;
  }

  test('purchases of new buyers and a customer created in the shop by command end with no duplicate and nothing lost', async () => {
    await startWorker();
    const businesses = [
      await shop().create('businesses', { name: 'Killjoy Ltd', domain: 'killjoy.example' }),
      await shop().create('businesses', { name: 'Sigkill GmbH', domain: 'sigkill.example' }),
    ];
    const buyers: Buyer[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const business = i < businesses.length * 2 ? (businesses[i % businesses.length] ?? null) : null;
      const user = await shop().create('users', { email: `killed${i}@shop.example`, first_name: `Kay${i}`, last_name: 'Ill', ...(business ? { business_id: business.id } : {}) });
      const purchase = await shop().create('purchases', { user_id: user.id, ...(business ? { business_id: business.id } : {}), currency: 'EUR', status: 'paid', lines: [line] });
      buyers.push({ user, purchase, business });
    }
    // a HubSpot company becomes a customer: its pass creates the business in the shop by command
    const customerName = 'Nine Lives Inc';
    const customer = await hubspot().create('companies', { name: customerName, domain: 'nine-lives.example', lifecyclestage: 'customer' });

    // killed as soon as the first deal is in HubSpot: the others are still on their way
    await waitFor(async () => (await hubspot().records('deals')).length > 0, 'the first deal in HubSpot', 120_000);
    await worker?.kill();
    const dealsAtKill = (await hubspot().records('deals')).length;
    expect(dealsAtKill).toBeLessThan(BUYERS);

    await startWorker();
    let last: string[] = [];
    await waitFor(
      async () => {
        last = await problems(buyers, { companyId: customer.id, name: customerName });
        return last.length === 0;
      },
      'every flow finished, once',
      240_000,
      500,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${last.join('\n')}`);
    });
    expect(await failedRecords()).toEqual([]);
  });
});
