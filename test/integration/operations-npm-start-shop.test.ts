import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'rabbitmq-client';
import { amqpUrl } from '../support/amqp';
import { alive, startAppOnFreePorts, type AppPort, type AppProcess } from '../support/app-process';
import { runProcess } from '../support/child-process';
import { shopClient } from '../support/shop-admin';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { waitFor, waitForReady } from '../support/wait-for';

jest.setTimeout(180_000);

/**
 * `npm start` and the shop (issue point "Runs out of the box"): with rabbitmq-server installed it runs a private
 * RabbitMQ node under DATA_DIR and the shop simulator on it, and syncs the shop; without a broker it syncs the CRMs
 * and says how to turn the shop on. The child gets no AMQP_URL (test/support/app-process.ts builds its environment).
 */
describe('npm start with the shop', () => {
  const dirs: string[] = [];
  let app: AppProcess | undefined;
  let ports = {} as Record<AppPort, number>;

  afterAll(() => {
    app?.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const newDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const url = (port: AppPort) => `http://127.0.0.1:${ports[port]}`;

  async function start(dataDir: string, extra: Record<string, string> = {}): Promise<AppProcess> {
    const env = { SANDBOX_SEED_CONTACTS: '5', SANDBOX_SEED_COMPANIES: '2', ...extra };
    ({ app, ports } = await startAppOnFreePorts(dataDir, env));
    await waitForReady(url('API_PORT'), 60_000, 200);
    return app;
  }

  /** Ctrl-C: the app stops cleanly and leaves nothing of DATA_DIR running, the RabbitMQ node and its epmd included. */
  async function stop(running: AppProcess, dataDir: string): Promise<void> {
    const tree = await running.processTree();
    const ended = await running.interrupt(30_000);
    // what the app printed last, when it did not stop cleanly: the failure says why
    const output = running.output();
    const stopped = output.includes('crm-sync: stopped\n');
    expect({ ended, stopped, lastOutput: stopped ? '' : output.slice(-3000) }).toEqual({ ended: expect.anything(), stopped: true, lastOutput: '' });
    await waitFor(() => alive(tree).length === 0, 'every process of the tree to end', 20_000, 100);
    const listing = await runProcess('ps', ['-eo', 'pid=,args='], { PATH: process.env.PATH });
    expect(listing.stdout.split('\n').filter((line) => line.includes(dataDir))).toEqual([]);
    // epmd daemonizes out of the process group and names no path; the node's environment does (Linux /proc).
    const epmds = listing.stdout.split('\n').filter((line) => /\bepmd\b/.test(line)).map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(epmds.filter((pid) => environOf(pid).includes(dataDir))).toEqual([]);
    app = undefined;
  }

  describe('with rabbitmq-server installed', () => {
    const dataDir = newDir('crm-sync-start-shop-');

    test('runs a private RabbitMQ node and the shop simulator; a shop user and purchase reach HubSpot as a contact and a deal', async () => {
      const running = await start(dataDir);
      const output = running.output();
      expect(output).toContain(`RabbitMQ           amqp://127.0.0.1:${ports.SANDBOX_AMQP_PORT}   (private node; data and logs: ${join(dataDir, 'rabbitmq')})`);
      expect(output).toContain(`Shop simulator     ${url('SANDBOX_SHOP_PORT')}   (admin: ${url('SANDBOX_SHOP_PORT')}/_sim/records/users)`);
      expect(output).toMatch(/Worker {13}task queues .*crm-shop/);
      expect(await (await fetch(`${url('API_PORT')}/readyz`)).json()).toEqual({ status: 'ready' });

      const shop = shopClient(url('SANDBOX_SHOP_PORT'));
      const user = await shop.create('users', { email: 'ada.shop@example.com', first_name: 'Ada', last_name: 'Lovelace' });
      const purchase = await shop.create('purchases', { user_id: user.id, currency: 'EUR', status: 'paid', lines: [{ sku: 'NOTE-G', name: 'Note G', quantity: 2, unit_price_minor: 1500 }] });
      const hubspot = hubspotAdmin(url('SANDBOX_HUBSPOT_PORT'));
      const contact = await waitFor(async () => (await hubspot.records('contacts')).find((r) => r.properties.email === 'ada.shop@example.com'), 'the shop user in HubSpot', 60_000, 200);
      const deal = await waitFor(
        async () => (await hubspot.withAssociations('deals')).find((r) => r.properties.shop_purchase_id === purchase.id && r.associations?.contacts.includes(contact.id)),
        "the purchase in HubSpot as a deal on the user's contact",
        60_000,
        200,
      );
      expect(deal.properties).toMatchObject({ amount: '30.00', deal_currency_code: 'EUR' });

      await stop(running, dataDir);
    });

    test('a restart on the same DATA_DIR runs the same node on its data and keeps the shop\'s records; both ways still sync', async () => {
      const running = await start(dataDir);
      expect(readdirSync(join(dataDir, 'rabbitmq', 'mnesia')).filter((name) => name.endsWith('@localhost'))).toEqual(['crmsync@localhost']);

      // The shop's records and ids are those the links name: a new user gets an id of its own, not the first one again.
      const hubspot = hubspotAdmin(url('SANDBOX_HUBSPOT_PORT'));
      const shop = shopClient(url('SANDBOX_SHOP_PORT'));
      const before = await shop.records('users');
      expect(before.map((user) => user.email)).toEqual(['ada.shop@example.com']);
      const grace = await shop.create('users', { email: 'grace.shop@example.com', first_name: 'Grace', last_name: 'Hopper' });
      expect(before.map((user) => user.id)).not.toContain(grace.id);
      // A user without purchases is not one of HubSpot's hot contacts: Zoho, the master, gets it.
      const zohoId = await waitFor(async () => (await shop.records('users')).find((user) => user.id === grace.id)?.external_ids.zoho, "the new shop user's Zoho id", 60_000, 200);
      expect((await zohoAdmin(url('SANDBOX_ZOHO_PORT')).records('Contacts')).find((r) => r.id === zohoId)?.Email).toBe('grace.shop@example.com');
      expect((await hubspot.records('contacts')).find((r) => r.properties.email === 'ada.shop@example.com')?.properties.shop_user_id).toBe(before[0]?.id);

      const company = await hubspot.create('companies', { name: 'Analytical Engines Ltd', domain: 'engines.example.com', lifecyclestage: 'customer' });
      await waitFor(async () => (await shop.records('businesses')).find((r) => r.external_ids.hubspot === company.id), 'the customer company in the shop', 60_000, 200);

      await stop(running, dataDir);
    });
  });

  test("with AMQP_URL: runs the shop simulator on that broker, runs no node of its own, and leaves the broker running", async () => {
    const dataDir = newDir('crm-sync-start-amqp-');
    const broker = new URL(amqpUrl());
    const running = await start(dataDir, { AMQP_URL: broker.toString(), SHOP_NAME_PREFIX: `t-${randomUUID().slice(0, 8)}.` });
    expect(running.output()).toContain(`RabbitMQ           amqp://${broker.host}   (AMQP_URL)`);
    expect(existsSync(join(dataDir, 'rabbitmq'))).toBe(false);

    const shop = shopClient(url('SANDBOX_SHOP_PORT'));
    const user = await shop.create('users', { email: 'amqp.url@example.com', first_name: 'Alan', last_name: 'Turing' });
    await waitFor(async () => (await shop.records('users')).find((record) => record.id === user.id)?.external_ids.zoho, 'the shop user linked to Zoho', 60_000, 200);
    await stop(running, dataDir);
    const after = new Connection({ url: broker.toString(), connectionName: 'operations-npm-start-shop' });
    after.on('error', () => undefined);
    try {
      await after.onConnect(5000);
    } finally {
      await after.close();
    }
  });

  test('without a broker: syncs HubSpot and Zoho, and says the shop is off and how to turn it on', async () => {
    const dataDir = newDir('crm-sync-start-noshop-');
    // An empty directory stands in for a machine without rabbitmq-server.
    const running = await start(dataDir, { RABBITMQ_BIN_DIR: newDir('crm-sync-no-rabbitmq-') });
    const output = running.output();
    expect(output).toContain(
      'Shop               off: no RabbitMQ. To sync the shop: sudo apt-get install rabbitmq-server (Debian/Ubuntu) or brew install rabbitmq (macOS), then npm start again; or set AMQP_URL',
    );
    expect(output).not.toContain('Shop simulator');
    expect(output).not.toContain('RabbitMQ           amqp://');
    expect(output).toContain('Worker             task queues crm-sync, crm-sync-load, crm-sync-fan-out, crm-hubspot, crm-zoho\n');
    await stop(running, dataDir);
  });
});

/** A process's environment as one string; empty once it is gone or when it is not ours to read. */
function environOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}
