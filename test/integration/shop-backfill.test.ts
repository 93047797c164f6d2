import { Connection } from 'rabbitmq-client';
import { runBackfillCommand, type CommandIo } from '../../src/cli/backfill-command';
import { topology } from '../../src/sandbox/shop';
import { createDataConverter } from '../../src/codec/data-converter';
import { enabledSystems } from '../../src/systems/registry';
import { amqpUrl } from '../support/amqp';
import { lanesIn } from '../support/history-calls';
import { patchMarkers, stampedGate } from '../support/patch-markers';
import { startShopTestStack } from '../support/shop-stack';
import { waitFor } from '../support/wait-for';
import { CURRENT_PATCH_GATE } from '../../src/workflows/patch-gates';

jest.setTimeout(180_000);

type Started = Awaited<ReturnType<typeof startShopTestStack>>;

function capture(): CommandIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (text: string) => (out += text) }, stderr: { write: (text: string) => (err += text), isTTY: false }, pollMs: 100, plainEveryMs: 0, out: () => out, err: () => err };
}

/**
 * The shop's initial load: records that were in the shop before crm-sync (seeded: no events, like an import) loaded
 * through our CLI, by id range and by object, in the shop's own words (`--object user`).
 */
describe('initial load from the shop', () => {
  let started: Started;
  let seeded: { users: { id: string; email: string }[]; purchases: { id: string; user_id: string; business_id: string | null }[] };

  beforeAll(async () => {
    started = await startShopTestStack({ testFile: __filename });
    await started.shop.seed({ businesses: 3, users: 12, purchases: 8, seed: 13 });
    seeded = {
      users: await started.shop.records<{ id: string; email: string }>('users'),
      purchases: await started.shop.records<{ id: string; user_id: string; business_id: string | null }>('purchases'),
    };
  });
  afterAll(async () => {
    await rabbit?.close();
    await started?.close();
  });
  let rabbit: Connection | undefined;
  /** Messages ready in a queue (a passive declare: counts without taking any). */
  const ready = async (queue: string) => {
    rabbit ??= new Connection({ url: amqpUrl(), connectionName: 'shop-backfill-test' });
    rabbit.on('error', () => undefined);
    return (await rabbit.queueDeclare({ queue, passive: true })).messageCount;
  };

  const backfill = (args: string[]) => {
    const io = capture();
    return runBackfillCommand(started.stack.config, args, io, enabledSystems(started.stack.config)).then((code) => ({ code, out: io.out(), err: io.err() }));
  };

  test('flags name what is wrong: an object the shop does not hold, a creation window backwards', async () => {
    const order = await backfill(['--from', 'shop', '--object', 'order']);
    expect(order.code).toBe(1);
    expect(order.err).toMatch(/--object: /);
    const window = await backfill(['--from', 'shop', '--object', 'user', '--created-after', '2026-01-02', '--created-before', '2026-01-01']);
    expect(window.code).toBe(1);
    expect(window.err).toMatch(/--created-before: must be later than createdAfter/);
  });

  test('a dry run writes nothing; users by id range reach Zoho, each once, with the shop linked', async () => {
    const [first, , third] = seeded.users;
    const dry = await backfill(['--from', 'shop', '--object', 'user', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(await started.zoho.records('Contacts')).toEqual([]);

    const ranged = await backfill(['--from', 'shop', '--object', 'user', '--id-from', first?.id ?? '', '--id-to', third?.id ?? '']);
    expect(ranged.code).toBe(0);
    const emails = seeded.users.slice(0, 3).map((u) => u.email);
    await waitFor(async () => {
      const contacts = await started.zoho.records('Contacts');
      return emails.every((email) => contacts.some((c) => c.Email === email));
    }, 'the three users in Zoho');
    const contacts = await started.zoho.records('Contacts');
    expect(contacts.filter((c) => emails.includes(String(c.Email)))).toHaveLength(3);
    // outside the range: not loaded
    expect(contacts.some((c) => c.Email === seeded.users[3]?.email)).toBe(false);
    // the Zoho ids go back to the shop (by command, from each user's live workflow)
    await waitFor(async () => (await started.shop.records('users')).filter((u) => emails.includes(String(u.email))).every((u) => u.external_ids.zoho), 'the Zoho ids in the shop');
  });

  test('a live change is synced while the load lane holds a backlog: the loaded users\' commands wait, a new user reaches Zoho and gets its id back at once', async () => {
    const { loadCommandQueue, commandQueue } = topology(started.shopSim.options);
    const loaded = seeded.users.slice(3, 12);
    const ids = new Set(loaded.map((u) => u.id));
    // the shop takes nothing from its load inbox: whatever the load sends there stays queued
    await started.shop.faults({ loadInboxPaused: true });
    const result = await backfill(['--from', 'shop', '--object', 'user', '--id-from', loaded[0]?.id ?? '', '--id-to', loaded.at(-1)?.id ?? '']);
    expect(result.code).toBe(0);
    // each loaded user gets its Zoho id by a command from its live workflow, on the load lane (one held, the rest ready)
    await waitFor(async () => (await ready(loadCommandQueue)) >= loaded.length - 1, 'the loaded users\' commands queued in the load inbox', 60_000);

    const person = await started.shop.create('users', { email: 'walk.in@example.com', first_name: 'Walk', last_name: 'In' });
    await waitFor(async () => (await started.shop.records('users')).find((u) => u.id === person.id)?.external_ids.zoho, 'the new user\'s Zoho id back in the shop', 30_000);
    expect((await started.zoho.records('Contacts')).some((c) => c.Email === 'walk.in@example.com')).toBe(true);
    // ... past the backlog, which is still there, untouched
    expect(await ready(loadCommandQueue)).toBeGreaterThanOrEqual(loaded.length - 1);
    expect(await ready(commandQueue)).toBe(0);
    expect((await started.shop.records('users')).filter((u) => ids.has(u.id)).some((u) => u.external_ids.zoho)).toBe(false);

    await started.shop.faults({ loadInboxPaused: false });
    await waitFor(async () => (await started.shop.records('users')).filter((u) => ids.has(u.id) && u.external_ids.zoho).length === loaded.length, 'the loaded users\' Zoho ids in the shop', 60_000);
    await waitFor(async () => (await ready(loadCommandQueue)) === 0, 'the load inbox empty');

    // the lane was chosen in workflow code, behind its patch ('shop-command-lanes'), which the gate stamped at its start decides
    const history = await started.stack.client.workflow.getHandle(`shop:contact:${loaded[0]?.id ?? ''}`).fetchHistory();
    expect(patchMarkers(history.events ?? [])).toEqual([]);
    expect(await stampedGate(history.events ?? [], createDataConverter(started.stack.config.codecKeys))).toBe(CURRENT_PATCH_GATE);
    // its calls waited behind live sync's on the systems' task queues too; the new user's were made at once, in local
    // activities of its own workflow task
    const lanes = async (workflowId: string) => {
      return lanesIn((await started.stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [], 'shop');
    };
    expect(await lanes(`shop:contact:${loaded[0]?.id ?? ''}`)).toEqual(new Set([5]));
    expect(await lanes(`shop:contact:${person.id}`)).toEqual(new Set(['local']));
  });

  test('purchases become HubSpot deals on their buyers, who reach HubSpot (and Zoho) for them', async () => {
    const result = await backfill(['--from', 'shop', '--object', 'purchase']);
    expect(result.code).toBe(0);
    // the batch brings the buyers and their businesses into HubSpot itself (those already in Zoho too): no deal
    // waits for live sync; only the shop's copies of the new ids go out as commands from live workflows
    expect(result.out).toMatch(/handed to live sync\s+0\n/);
    expect(result.out).toMatch(new RegExp(`created\\s+${seeded.purchases.length}\\n`));
    // and the buyers' CRM records name each other as soon as the backfill returns (its batch writes the new ids into
    // the records beside them; live sync, busy with the shop's copies, would take single calls to do it)
    const buyerIds = new Set(seeded.purchases.map((p) => p.user_id));
    const buyerEmails = seeded.users.filter((u) => buyerIds.has(u.id)).map((u) => u.email);
    const [hubspotContacts, zohoContacts] = await Promise.all([started.hubspot.records('contacts'), started.zoho.records('Contacts')]);
    const unnamed = buyerEmails.filter((email) => {
      const inHubspot = hubspotContacts.find((c) => c.properties.email === email);
      const inZoho = zohoContacts.find((c) => c.Email === email);
      return !inHubspot || !inZoho || inHubspot.properties.zoho_record_id !== inZoho.id || inZoho.HubSpot_ID !== inHubspot.id;
    });
    expect(unnamed).toEqual([]);
    const deals = await waitFor(async () => {
      const all = (await started.hubspot.withAssociations('deals')).filter((d) => !d.archived);
      return seeded.purchases.every((p) => all.some((d) => d.properties.shop_purchase_id === p.id)) ? all : null;
    }, 'every purchase as a deal', 90_000);
    expect(deals).toHaveLength(seeded.purchases.length);
    // a deal whose buyer reached HubSpot only through live sync is associated by that deal's own live pass
    const associated = await waitFor(async () => {
      const [all, contacts] = await Promise.all([started.hubspot.withAssociations('deals'), started.hubspot.records('contacts')]);
      const pairs = seeded.purchases.map((purchase) => ({
        deal: all.find((d) => d.properties.shop_purchase_id === purchase.id && !d.archived),
        buyer: contacts.find((c) => c.properties.shop_user_id === purchase.user_id && !c.archived),
      }));
      return pairs.every(({ deal, buyer }) => buyer && deal?.associations?.contacts.length) ? pairs : null;
    }, 'every deal associated with its buyer', 60_000);
    for (const { deal, buyer } of associated) expect(deal?.associations?.contacts).toEqual([buyer?.id]);
    const contacts = await started.hubspot.records('contacts');
    // one HubSpot contact per buyer, however many purchases each made
    const buyers = new Set(seeded.purchases.map((p) => p.user_id));
    expect(contacts.filter((c) => c.properties.shop_user_id && buyers.has(c.properties.shop_user_id))).toHaveLength(buyers.size);
  });
});
