import type { HubspotRecord, ZohoRecord } from '../support/sim-client';
import type { ShopRecord } from '../support/shop-admin';
import { startShopTestStack } from '../support/shop-stack';
import { waitFor } from '../support/wait-for';
import { describeWorkflows, explained } from '../support/explain';
import { syncStatusQuery } from '../../src/workflows/messages';
import { workflowIdFor } from '../../src/domain/records';

type Started = Awaited<ReturnType<typeof startShopTestStack>>;

/**
 * End to end with the shop: person-facing edits in the shop simulator (events through a real RabbitMQ), HubSpot and
 * Zoho; commands to the shop and its replies through the same broker; a real Temporal server between them.
 */
describe('shop ↔ CRMs', () => {
  let started: Started;
  const line = { sku: 'SKU-1', name: 'Widget', quantity: 2, unit_price_minor: 1999 };

  beforeAll(async () => {
    // Replies are waited for 3 s here (60 s by default), so the lost-reply case settles within the test's patience.
    started = await startShopTestStack({ testFile: __filename, env: { COMMAND_REPLY_TIMEOUT: '3s' } });
  });
  afterAll(async () => {
    await started?.close();
  });

  /** Record workflows whose last pass failed (queried, so no visibility lag). */
  const failedRecords = async (): Promise<string[]> => {
    const failed: string[] = [];
    for await (const workflow of started.stack.client.workflow.list({ query: "WorkflowType='recordSyncWorkflow' AND ExecutionStatus='Running'" })) {
      const status = await started.stack.client.workflow.getHandle(workflow.workflowId).query(syncStatusQuery);
      if (status.status === 'failed') failed.push(`${workflow.workflowId}: ${status.lastError?.message ?? ''}`);
    }
    return failed;
  };

  const hubspotBy = async (object: 'contacts' | 'companies' | 'deals', property: string, value: string): Promise<HubspotRecord | undefined> =>
    (await started.hubspot.withAssociations(object)).find((r) => r.properties[property] === value && !r.archived);
  const zohoBy = async (module: 'Contacts' | 'Accounts', field: string, value: string): Promise<ZohoRecord | undefined> =>
    (await started.zoho.records(module)).find((r) => r[field] === value && !r.$deleted && !r.deleted);
  const shopBy = async (collection: 'users' | 'businesses', match: (record: ShopRecord) => boolean): Promise<ShopRecord[]> =>
    (await started.shop.records(collection)).filter((record) => !record.deleted_at && match(record));

  test('a purchase in the shop appears as a HubSpot deal on the right contact and company', async () => {
    const { shop } = started;
    const business = await shop.create('businesses', { name: 'Deal Works', domain: 'dealworks.example' });
    const user = await shop.create('users', { email: 'buyer@dealworks.example', first_name: 'Bea', last_name: 'Buyer', business_id: business.id });
    const purchase = await shop.create('purchases', { user_id: user.id, business_id: business.id, currency: 'EUR', status: 'paid', lines: [line] });

    // the buyer reaches HubSpot because a deal there needs them, with their company
    const contact = await waitFor(() => hubspotBy('contacts', 'shop_user_id', user.id), 'the buyer in HubSpot', 30_000);
    const company = await waitFor(() => hubspotBy('companies', 'shop_business_id', business.id), 'the business in HubSpot');
    expect(contact.properties).toMatchObject({ email: 'buyer@dealworks.example', firstname: 'Bea', lastname: 'Buyer' });
    // the deal is created, then associated (separate HubSpot calls)
    const deal = await waitFor(async () => {
      const found = await hubspotBy('deals', 'shop_purchase_id', purchase.id);
      return found?.associations?.contacts.length && found.associations.companies.length ? found : null;
    }, 'the deal in HubSpot, associated', 30_000);
    expect(deal.properties).toMatchObject({ dealname: `Purchase ${purchase.id}`, amount: '39.98', deal_currency_code: 'EUR', dealstage: 'closedwon' });
    expect(deal.associations).toMatchObject({ contacts: [contact.id], companies: [company.id] });
    await waitFor(async () => (await hubspotBy('contacts', 'shop_user_id', user.id))?.associations?.companies[0] === company.id, "the buyer's company association");
    // Zoho holds every contact and company
    await waitFor(() => zohoBy('Contacts', 'Email', 'buyer@dealworks.example'), 'the buyer in Zoho');
    await waitFor(() => zohoBy('Accounts', 'Account_Name', 'Deal Works'), 'the business in Zoho');

    // a refund moves the deal: net amount, closed lost; still one deal
    await shop.update('purchases', purchase.id, { status: 'refunded' });
    await waitFor(async () => (await hubspotBy('deals', 'shop_purchase_id', purchase.id))?.properties.dealstage === 'closedlost', 'the refund in HubSpot');
    const refunded = await hubspotBy('deals', 'shop_purchase_id', purchase.id);
    expect(refunded?.properties.amount).toBe('0.00');
    expect((await started.hubspot.records('deals')).filter((d) => d.properties.shop_purchase_id === purchase.id)).toHaveLength(1);
  });

  test('a company that becomes a customer in HubSpot appears in the shop, and its shop id comes back to HubSpot', async () => {
    const company = await started.hubspot.create('companies', { name: 'Customer Co', domain: 'customer-co.example', lifecyclestage: 'lead' });
    await waitFor(() => zohoBy('Accounts', 'Account_Name', 'Customer Co'), 'the company in Zoho');
    expect(await shopBy('businesses', (b) => b.domain === 'customer-co.example')).toEqual([]);

    await started.hubspot.update('companies', company.id, { lifecyclestage: 'customer' });
    const [business] = await waitFor(async () => {
      const found = await shopBy('businesses', (b) => b.external_ids.hubspot === company.id);
      return found.length > 0 ? found : null;
    }, 'the business in the shop', 30_000);
    expect(business).toMatchObject({ name: 'Customer Co', domain: 'customer-co.example' });
    const linked = await waitFor(async () => {
      const record = await hubspotBy('companies', 'name', 'Customer Co');
      return record?.properties.shop_business_id ? record : null;
    }, 'the shop id back in HubSpot');
    expect(linked.properties.shop_business_id).toBe(business?.id);
    expect(await shopBy('businesses', (b) => b.domain === 'customer-co.example')).toHaveLength(1);
  });

  test('a shop user edit reaches HubSpot and Zoho, and a Zoho edit reaches the shop', async () => {
    const { shop } = started;
    const user = await shop.create('users', { email: 'edit@shop.example', first_name: 'Ed', last_name: 'Itor' });
    const purchase = await shop.create('purchases', { user_id: user.id, currency: 'JPY', status: 'pending', lines: [{ ...line, unit_price_minor: 500 }] });
    const inHubspot = await waitFor(() => hubspotBy('contacts', 'shop_user_id', user.id), 'the buyer in HubSpot', 30_000);
    const inZoho = await waitFor(() => zohoBy('Contacts', 'Email', 'edit@shop.example'), 'the user in Zoho');

    await shop.update('users', user.id, { first_name: 'Edna' });
    // seen failing once in many runs with no activity failing: the account says where the edit stopped
    const account = async () =>
      [
        `shop messages: ${JSON.stringify(await shop.stats())}`,
        `first names: shop ${String((await shopBy('users', (u) => u.id === user.id))[0]?.first_name)}, HubSpot ${String((await hubspotBy('contacts', 'shop_user_id', user.id))?.properties.firstname)}, Zoho ${String((await zohoBy('Contacts', 'Email', 'edit@shop.example'))?.First_Name)}`,
        await describeWorkflows(started.stack.client, [
          workflowIdFor({ system: 'shop', object: 'contact', id: user.id }),
          workflowIdFor({ system: 'hubspot', object: 'contact', id: inHubspot.id }),
          workflowIdFor({ system: 'zoho', object: 'contact', id: inZoho.id }),
          workflowIdFor({ system: 'shop', object: 'deal', id: purchase.id }),
        ]),
      ].join('\n');
    await explained(
      waitFor(async () => (await hubspotBy('contacts', 'shop_user_id', user.id))?.properties.firstname === 'Edna', 'the shop edit in HubSpot'),
      account,
    );
    await waitFor(async () => (await zohoBy('Contacts', 'Email', 'edit@shop.example'))?.First_Name === 'Edna', 'the shop edit in Zoho');

    await started.zoho.update('Contacts', inZoho.id, { Last_Name: 'Zedit' });
    await waitFor(async () => (await shopBy('users', (u) => u.id === user.id))[0]?.last_name === 'Zedit', 'the Zoho edit in the shop', 30_000);
    await waitFor(async () => (await hubspotBy('contacts', 'shop_user_id', user.id))?.properties.lastname === 'Zedit', 'the Zoho edit in HubSpot');
  });

  test('duplicated, reordered and delayed events and a lost reply end with one record each and nothing lost', async () => {
    const { shop } = started;
    await shop.faults({ eventDuplicateRate: 1, eventReorder: true, eventDelayMs: 300, replyDropRate: 1 });
    try {
      const user = await shop.create('users', { email: 'chaos@shop.example', first_name: 'Cay', last_name: 'Oss' });
      await shop.update('users', user.id, { first_name: 'Kay' });
      await shop.update('users', user.id, { last_name: 'Orr' });
      await shop.create('purchases', { user_id: user.id, currency: 'EUR', status: 'pending', lines: [line] });
      const contact = await waitFor(async () => {
        const record = await hubspotBy('contacts', 'shop_user_id', user.id);
        return record?.properties.firstname === 'Kay' && record.properties.lastname === 'Orr' ? record : null;
      }, 'the newest values in HubSpot', 30_000);
      await waitFor(async () => (await zohoBy('Contacts', 'Email', 'chaos@shop.example'))?.First_Name === 'Kay', 'the newest values in Zoho');

      // HubSpot makes the contact a customer: the shop already has the user, so the command links it (no duplicate),
      // and with every reply lost the workflow finds the user by its CRM id instead of sending again and again
      await started.hubspot.update('contacts', contact.id, { lifecyclestage: 'customer' });
      await waitFor(async () => (await shopBy('users', (u) => u.id === user.id))[0]?.external_ids.hubspot === contact.id, 'the HubSpot id in the shop', 30_000);
      expect(await shopBy('users', (u) => u.email === 'chaos@shop.example')).toHaveLength(1);
      expect((await started.hubspot.records('contacts')).filter((c) => c.properties.email === 'chaos@shop.example' && !c.archived)).toHaveLength(1);
      expect((await started.zoho.records('Contacts')).filter((c) => c.Email === 'chaos@shop.example')).toHaveLength(1);
    } finally {
      await shop.faults({ eventDuplicateRate: 0, eventReorder: false, eventDelayMs: 0, replyDropRate: 0 });
    }
  });

  test('a customer created in Zoho is created in the shop once, even when the reply is lost', async () => {
    await started.shop.faults({ replyDropRate: 1 });
    try {
      await started.zoho.create('Contacts', { Email: 'new.customer@example.com', First_Name: 'Nu', Last_Name: 'Kustomer', Lead_Status: 'Customer' });
      const [user] = await waitFor(async () => {
        const found = await shopBy('users', (u) => u.email === 'new.customer@example.com');
        return found.length > 0 ? found : null;
      }, 'the customer in the shop', 30_000);
      const inZoho = await zohoBy('Contacts', 'Email', 'new.customer@example.com');
      expect(user?.external_ids.zoho).toBe(inZoho?.id);
      // the lookup after the lost reply found it: the workflow settles without a second user
      const workflow = started.stack.client.workflow.getHandle(`zoho:contact:${inZoho?.id ?? ''}`);
      await waitFor(async () => (await workflow.describe()).searchAttributes.SyncStatus?.[0] === 'ok', 'the Zoho contact synced', 30_000);
      expect(await shopBy('users', (u) => u.email === 'new.customer@example.com')).toHaveLength(1);
    } finally {
      await started.shop.faults({ replyDropRate: 0 });
    }
  });

  /** A buyer with a business and a purchase, made a moment apart; resolves once the buyer is in HubSpot. */
  const buyerWithBusiness = async (name: string) => {
    const { shop } = started;
    const business = await shop.create('businesses', { name: `${name} Ltd`, domain: `${name}.example` });
    const user = await shop.create('users', { email: `${name}@${name}.example`, first_name: name, last_name: 'Leaving', business_id: business.id });
    const purchase = await shop.create('purchases', { user_id: user.id, business_id: business.id, currency: 'EUR', status: 'paid', lines: [line] });
    const contact = await waitFor(() => hubspotBy('contacts', 'shop_user_id', user.id), 'the buyer in HubSpot', 30_000);
    return { business, user, purchase, contact };
  };

  /** Settled: the deal on the buyer and the business, ids in every system, every record workflow idle. */
  const settled = async (user: ShopRecord, business: ShopRecord, purchase: ShopRecord) => {
    const email = String(user.email);
    const contact = await waitFor(async () => {
      const found = await hubspotBy('contacts', 'shop_user_id', user.id);
      return found?.properties.zoho_record_id && found.associations?.companies.length ? found : null;
    }, 'the buyer in HubSpot with its ids and company', 30_000);
    const company = await waitFor(() => hubspotBy('companies', 'shop_business_id', business.id), 'the business in HubSpot');
    await waitFor(async () => (await hubspotBy('deals', 'shop_purchase_id', purchase.id))?.associations?.companies.length, 'the deal, associated', 30_000);
    await waitFor(async () => (await zohoBy('Contacts', 'Email', email))?.HubSpot_ID === contact.id, "the HubSpot id in Zoho's contact", 30_000);
    await waitFor(async () => (await shopBy('users', (u) => u.id === user.id))[0]?.external_ids.hubspot === contact.id, 'the HubSpot id in the shop', 30_000);
    return { contact, company };
  };

  /** A HubSpot record's properties but the shop id and the modification stamps, which the unlink's write moves. */
  const withoutStamps = (properties: Record<string, string | null>, shopId: string) =>
    Object.fromEntries(Object.entries(properties).filter(([name]) => name !== shopId && name !== 'lastmodifieddate' && name !== 'hs_lastmodifieddate'));

  const shopIdCleared = (object: 'contacts' | 'companies', id: string, property: string) =>
    waitFor(async () => {
      const record = (await started.hubspot.records(object)).find((r) => r.id === id);
      return record && !record.archived && !record.properties[property] ? record : null;
    }, `${property} cleared from the HubSpot record`, 60_000);

  test('a user and a business deleted in the shop are unlinked: the CRM records stay, without the shop ids, and nothing else changes', async () => {
    const { business, user, purchase } = await buyerWithBusiness('lee');
    const { contact, company } = await settled(user, business, purchase);
    const zohoContact = await zohoBy('Contacts', 'Email', 'lee@lee.example');
    const zohoAccount = await zohoBy('Accounts', 'Account_Name', 'lee Ltd');
    const deal = await hubspotBy('deals', 'shop_purchase_id', purchase.id);

    await started.shop.remove('users', user.id);
    const unlinked = await shopIdCleared('contacts', contact.id, 'shop_user_id');
    await started.shop.remove('businesses', business.id);
    const unlinkedCompany = await shopIdCleared('companies', company.id, 'shop_business_id');

    // everything else as it was: the CRM records and their other ids, the deal and its associations
    expect(unlinked.properties).toMatchObject(withoutStamps(contact.properties, 'shop_user_id'));
    expect(unlinkedCompany.properties).toMatchObject(withoutStamps(company.properties, 'shop_business_id'));
    expect(await zohoBy('Contacts', 'Email', 'lee@lee.example')).toMatchObject({ id: zohoContact?.id, HubSpot_ID: contact.id });
    expect(await zohoBy('Accounts', 'Account_Name', 'lee Ltd')).toMatchObject({ id: zohoAccount?.id });
    expect(await hubspotBy('deals', 'shop_purchase_id', purchase.id)).toMatchObject({ id: deal?.id, associations: { contacts: [contact.id], companies: [company.id] } });
    expect((await started.hubspot.records('contacts')).filter((c) => c.properties.email === 'lee@lee.example')).toHaveLength(1);
  });

  test('no record of this file ended failed', async () => {
    expect(await failedRecords()).toEqual([]);
  });
});
