import { shopClient } from '../../support/shop-admin';
import { startShopKit, upsertCommand, type ShopKit } from '../../support/shop-kit';
import { waitFor } from '../../support/wait-for';

let kit: ShopKit;
let shop: ReturnType<typeof shopClient>;

beforeAll(async () => {
  kit = await startShopKit({ reorderWindowMs: 300 });
  shop = shopClient(kit.sim.url);
});
afterAll(() => kit.close());
beforeEach(async () => {
  await shop.reset();
  kit.events.clear();
  kit.replies.clear();
});

const newUser = (n: number) => shop.create('users', { email: `user${n}@example.com`, first_name: 'U', last_name: String(n) });

describe('event faults', () => {
  test('duplicate: the same event (same CloudEvents id) arrives twice', async () => {
    await shop.faults({ eventDuplicateRate: 1 });
    const user = await newUser(1);
    const [first, second] = await kit.events.expect(2);
    expect(first?.event).toEqual(second?.event);
    expect(first?.event.data).toMatchObject({ id: user.id });
    expect((await shop.stats()).events).toMatchObject({ published: 2, duplicated: 1 });
  });

  test('reorder: events of one window arrive newest first', async () => {
    await shop.faults({ eventReorder: true });
    const user = await newUser(1);
    await shop.update('users', user.id, { first_name: 'V' });
    await shop.update('users', user.id, { first_name: 'W' });
    const received = await kit.events.expect(3);
    expect(received.map((m) => [m.event.type, m.event.data.version])).toEqual([
      ['user.updated', 3],
      ['user.updated', 2],
      ['user.created', 1],
    ]);
  });

  test('delay: an event is published no sooner than eventDelayMs after the change', async () => {
    await shop.faults({ eventDelayMs: 700 });
    const before = Date.now();
    await newUser(1);
    const [message] = await kit.events.expect(1);
    expect((message?.at ?? 0) - before).toBeGreaterThanOrEqual(700);
  });

  test('drop: a dropped event is never published, and counted', async () => {
    await shop.faults({ eventDropRate: 1 });
    await newUser(1);
    await kit.drain();
    await kit.events.expect(0, 300);
    expect((await shop.stats()).events).toMatchObject({ published: 0, dropped: 1 });
    expect(await shop.records('users')).toHaveLength(1);
  });
});

describe('lost replies', () => {
  test('the command is applied and its event published, but no reply comes; sending it again links the same user', async () => {
    await shop.faults({ replyDropRate: 1 });
    const command = upsertCommand('user.upsert', { external_ids: { hubspot: '77' }, attributes: { email: 'lost@example.com' } });
    await kit.send('user.upsert', command);
    await waitFor(async () => (await shop.stats()).replies.dropped === 1, 'the reply to be dropped');
    await kit.events.expect(1);
    await kit.drain();
    await kit.replies.expect(0, 200);
    const [user] = await shop.records('users');
    expect(user?.external_ids).toEqual({ hubspot: '77' });

    await shop.faults({ replyDropRate: 0 });
    await kit.send('user.upsert', { ...command, id: 'retry' });
    const [reply] = await kit.replies.expect(1);
    expect(reply?.event).toMatchObject({ type: 'user.linked', correlationid: command.correlationid, data: { id: user?.id, created: false } });
    expect(await shop.records('users')).toHaveLength(1);
  });
});

describe('read faults (the read API only; /_sim stays reachable)', () => {
  test('errorRate 1 answers 5xx with the error body; outage answers 503; latency delays; stats count them', async () => {
    const user = await newUser(1);
    await shop.faults({ errorRate: 1 });
    const failed = await shop.raw('GET', `/api/v1/users/${user.id}`);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await failed.json()).toEqual({ error: { code: expect.stringMatching(/^(internal|unavailable)$/), message: expect.any(String) } });
    await shop.faults({ errorRate: 0, outage: true });
    expect((await shop.raw('POST', '/api/v1/users/batch-get', { ids: [user.id] })).status).toBe(503);
    await shop.faults({ outage: false, latencyMs: 300 });
    const started = Date.now();
    expect((await shop.raw('GET', `/api/v1/users/${user.id}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await shop.stats()).status['5xx']).toBe(2);
    expect((await shop.raw('POST', '/_sim/faults', { errorRate: 2 })).status).toBe(400);
  });
});
