import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRabbitNode, type RabbitNode } from '../../src/sandbox/broker/rabbitmq-node';
import { syncStatusQuery } from '../../src/workflows/messages';
import { startShopTestStack } from '../support/shop-stack';
import { waitFor } from '../support/wait-for';

jest.setTimeout(240_000);

type Started = Awaited<ReturnType<typeof startShopTestStack>>;

/**
 * The shop's broker and our worker go away in the middle of the flow: a broker of this file's own (so restarting it
 * disturbs no other test file), restarted on its data directory; the worker stopped mid-pass and started again.
 */
describe('shop sync across a broker restart and a worker restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-shop-faults-'));
  const nodeOptions = { dir, name: `crmsync-faults-${process.pid}`, path: process.env.PATH ?? '' };
  let node: RabbitNode;
  let started: Started;
  const line = { sku: 'SKU-9', name: 'Gadget', quantity: 1, unit_price_minor: 2500 };

  beforeAll(async () => {
    node = await startRabbitNode(nodeOptions);
    // reconciliation every 2 s: the last test drops the shop's events on purpose
    started = await startShopTestStack({ testFile: __filename, amqpUrl: node.url, env: { COMMAND_REPLY_TIMEOUT: '3s', RECONCILE_INTERVAL: '2s', RECONCILE_SETTLE: '1s' } });
  });
  afterAll(async () => {
    await started?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const dealsOf = async (purchaseId: string) => (await started.hubspot.records('deals')).filter((d) => d.properties.shop_purchase_id === purchaseId && !d.archived);
  const contactsOf = async (email: string) => (await started.hubspot.records('contacts')).filter((c) => c.properties.email === email && !c.archived);

  test('events published while the broker is down arrive once it is back: nothing lost, nothing twice', async () => {
    const { shop } = started;
    const user = await shop.create('users', { email: 'before@restart.example', first_name: 'Bee', last_name: 'Fore' });
    await waitFor(async () => (await started.zoho.records('Contacts')).some((c) => c.Email === 'before@restart.example'), 'the first user in Zoho');

    await node.stop();
    // the shop keeps what it could not publish and sends it once it can; our listener reconnects and re-declares
    const purchase = await shop.create('purchases', { user_id: user.id, currency: 'EUR', status: 'paid', lines: [line] });
    const later = await shop.create('users', { email: 'during@restart.example', first_name: 'Dur', last_name: 'Ing' });
    node = await startRabbitNode({ ...nodeOptions, port: node.port });

    const [deal] = await waitFor(async () => {
      const deals = await dealsOf(purchase.id);
      return deals.length > 0 ? deals : null;
    }, 'the deal after the broker restart', 90_000);
    expect(deal?.properties.amount).toBe('25.00');
    await waitFor(async () => (await started.zoho.records('Contacts')).some((c) => c.Email === 'during@restart.example'), 'the user created while the broker was down, in Zoho', 60_000);
    expect(await dealsOf(purchase.id)).toHaveLength(1);
    expect(await contactsOf('before@restart.example')).toHaveLength(1);
    expect(later.id).not.toBe(user.id);
  });

  test('a worker restarted in the middle of a command ends with one shop user, linked both ways', async () => {
    const contact = await started.hubspot.create('contacts', { email: 'mid@restart.example', firstname: 'Mid', lastname: 'Way', lifecyclestage: 'customer' });
    const workflow = started.stack.client.workflow.getHandle(`hubspot:contact:${contact.id}`);
    // stop the worker as soon as the pass is under way (it reads HubSpot first, then Zoho, then sends to the shop)
    await waitFor(async () => {
      try {
        return (await workflow.query(syncStatusQuery)).passes > 0;
      } catch {
        return false;
      }
    }, 'the pass under way', 30_000, 10);
    await started.stack.restartWorker();

    const users = await waitFor(async () => {
      const found = (await started.shop.records('users')).filter((u) => u.email === 'mid@restart.example' && !u.deleted_at);
      return found.length > 0 && found[0]?.external_ids.hubspot === contact.id ? found : null;
    }, 'the customer in the shop', 60_000);
    expect(users).toHaveLength(1);
    await waitFor(async () => (await contactsOf('mid@restart.example'))[0]?.properties.shop_user_id === users[0]?.id, 'the shop id in HubSpot', 60_000);
    await waitFor(async () => (await workflow.query(syncStatusQuery)).status === 'ok', 'the record synced', 60_000);
    expect((await started.shop.records('users')).filter((u) => u.email === 'mid@restart.example' && !u.deleted_at)).toHaveLength(1);
  });

  test('a shop event that is never published is caught by reconciliation', async () => {
    await started.shop.faults({ eventDropRate: 1 });
    try {
      await started.shop.create('users', { email: 'dropped@event.example', first_name: 'Drop', last_name: 'Ped' });
      await waitFor(async () => (await started.zoho.records('Contacts')).some((c) => c.Email === 'dropped@event.example'), 'the user in Zoho, through reconciliation', 60_000);
      expect((await started.shop.stats()).events.dropped).toBeGreaterThan(0);
    } finally {
      await started.shop.faults({ eventDropRate: 0 });
    }
  });
});
