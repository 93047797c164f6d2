import { randomUUID } from 'node:crypto';
import { Client, Connection as TemporalConnection, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Registry } from 'prom-client';
import { Connection, type Publisher } from 'rabbitmq-client';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { composeFailureReport } from '../../src/report/compose';
import { openStore } from '../../src/store';
import type { SyncStore } from '../../src/store/types';
import { createShopConnector } from '../../src/connectors/shop/connector';
import { shopCommandWrites } from '../../src/systems/shop/command-writes';
import { createShopCommandPublisher, REASON_HEADER, ShopCommandNotConfirmedError, shopBrokerNames, shopListener, type ShopListenerOptions } from '../../src/systems/shop/broker';
import { consumedQueueOptions } from '../../src/systems/shop/broker/topology';
import type { Listening } from '../../src/systems/types';
import { withinDeadline } from '../../src/temporal/bounded-call';
import { connectIngress } from '../../src/temporal/ingress-connection';
import { commandReplySignal, correlationIdFor, recordChangedSignal, TASK_QUEUES, WORKFLOW_TYPES, type CommandReply, type RecordEvent } from '../../src/workflows/messages';
import { createShopSimulator } from '../../src/sandbox/shop';
import { amqpUrl } from '../support/amqp';
import { shopClient } from '../support/shop-admin';
import { freePort } from '../support/free-port';
import { namespaceFor } from '../support/namespaces';
import { waitFor } from '../support/wait-for';
import { startRelay } from '../support/tcp-relay';

const namespace = namespaceFor(__filename);
const config = loadConfig({ PATH: process.env.PATH, LOG_LEVEL: 'silent', CRM_SANDBOX: 'true' });
const syncOptions = { coalesceMs: 50, idleTimeoutMs: 60_000, maxPassesPerRun: 50 };

let temporal: TemporalConnection;
let client: Client;
let rabbit: Connection;
let publisher: Publisher;
let store: SyncStore;
const cleanups: (() => Promise<void>)[] = [];
const terminations: string[] = [];

beforeAll(async () => {
  temporal = await TemporalConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS });
  client = new Client({ connection: temporal, namespace });
  rabbit = new Connection({ url: amqpUrl(), connectionName: 'shop-broker-test' });
  rabbit.on('error', () => undefined);
  publisher = rabbit.createPublisher({ confirm: true });
  store = await openStore({});
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  // Only once the test's listeners are closed: an event of its still in flight would start a terminated record's
  // workflow again, and the next test's record of the same id (its simulator counts from 1 too) would join that run.
  for (const workflowId of terminations.splice(0)) await client.workflow.getHandle(workflowId).terminate('test over').then(() => undefined, () => undefined);
});
afterAll(async () => {
  await publisher?.close();
  await rabbit?.close();
  await store?.close();
  await temporal?.close();
});

/** A listener on names of its own (a fresh prefix), so no test sees another's queues. */
async function listen(overrides: Partial<ShopListenerOptions> = {}) {
  const namePrefix = overrides.namePrefix ?? `t${randomUUID().slice(0, 8)}.`;
  const registry = new Registry();
  const listening = await shopListener({
    config,
    url: amqpUrl(),
    namePrefix,
    workflowClient: client.workflow,
    withTemporalDeadline: (fn) => withinDeadline(temporal, 3_000, fn),
    syncOptions,
    logger: silentLogger,
    registry,
    store,
    backoff: { initialMs: 50, maxMs: 500 },
    ...overrides,
  });
  cleanups.push(async () => {
    await listening.close();
    await deleteQueues(namePrefix);
  });
  await waitFor(() => listening.notReady() === null, 'the listener to consume');
  const count = (outcome: string, queue?: string) => counted(registry, 'crm_sync_broker_messages_total', { outcome, ...(queue === undefined ? {} : { queue }) });
  return { listening, registry, namePrefix, names: shopBrokerNames(namePrefix), count };
}

async function deleteQueues(namePrefix: string): Promise<void> {
  const names = shopBrokerNames(namePrefix);
  for (const queue of [names.eventsQueue, names.repliesQueue, names.loadEventsQueue, names.loadRepliesQueue, names.deadLetterQueue]) await rabbit.queueDelete({ queue });
}

async function counted(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label)).reduce((sum, value) => sum + value.value, 0);
}

function shopEvent(type: string, id: string, overrides: Record<string, unknown> = {}) {
  const collection = { user: 'users', business: 'businesses', purchase: 'purchases' }[type.split('.')[0] ?? ''];
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'urn:shop:test',
    type,
    time: '2026-12-03T11:21:00.000Z',
    subject: `${collection}/${id}`,
    datacontenttype: 'application/json',
    data: { id, version: 2, updated_at: '2026-12-03T11:20:59.123Z' },
    ...overrides,
  };
}

async function publish(exchange: string, routingKey: string, body: unknown, messageId?: string): Promise<void> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
  await publisher.send({ exchange, routingKey, durable: true, contentType: 'application/cloudevents+json', ...(messageId ? { messageId } : {}) }, bytes);
}

/** The signals a workflow received, in order, decoded. */
async function signals<T>(workflowClient: Client, workflowId: string, name: string): Promise<T[]> {
  const history = await workflowClient.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionSignaledEventAttributes)
    .filter((signal) => signal?.signalName === name)
    .map((signal) => defaultPayloadConverter.fromPayload<T>(signal?.input?.payloads?.[0] as Payload));
}

async function readyCount(queue: string): Promise<number> {
  return (await rabbit.queueDeclare({ queue, passive: true })).messageCount;
}

interface Taken {
  routingKey: string;
  messageId?: string;
  correlationId?: string;
  contentType?: string;
  durable?: boolean;
  headers?: Record<string, unknown>;
  body: Buffer;
}

/** Everything in a queue, taken off it (bodies as bytes, whatever the content type). */
async function drainQueue(queue: string): Promise<Taken[]> {
  const channel = await rabbit.acquire();
  try {
    const messages: Taken[] = [];
    for (let message = await channel.basicGet({ queue, noAck: true }); message; message = await channel.basicGet({ queue, noAck: true })) {
      const { routingKey, messageId, correlationId, contentType, durable, headers, body } = message;
      messages.push({ routingKey, messageId, correlationId, contentType, durable, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) });
    }
    return messages;
  } finally {
    await channel.close();
  }
}

function terminateLater(workflowId: string): void {
  terminations.push(workflowId);
}

describe('shop events', () => {
  test('each event starts or signals its record workflow, and is acknowledged once Temporal took it', async () => {
    const { names, count } = await listen();
    const id = String(100_000 + Math.floor(Math.random() * 800_000));
    const created = shopEvent('user.created', id);
    const deleted = shopEvent('business.deleted', id);
    const refunded = shopEvent('purchase.refunded', id);
    for (const event of [created, deleted, refunded]) {
      terminateLater(`shop:${{ user: 'contact', business: 'company', purchase: 'deal' }[event.type.split('.')[0] ?? '']}:${id}`);
      await publish(names.eventsExchange, event.type, event, event.id);
    }
    await waitFor(async () => (await count('accepted')) === 3, 'three events accepted');

    const contact = await client.workflow.getHandle(`shop:contact:${id}`).describe();
    expect(contact.type).toBe(WORKFLOW_TYPES.recordSync);
    expect(contact.searchAttributes.CrmSystem).toEqual(['shop']);
    expect(await signals<RecordEvent>(client, `shop:contact:${id}`, recordChangedSignal.name)).toEqual([{ kind: 'create', occurredAt: Date.parse('2026-12-03T11:20:59.123Z'), eventId: created.id }]);
    expect(await signals<RecordEvent>(client, `shop:company:${id}`, recordChangedSignal.name)).toEqual([expect.objectContaining({ kind: 'delete', eventId: deleted.id })]);
    expect(await signals<RecordEvent>(client, `shop:deal:${id}`, recordChangedSignal.name)).toEqual([expect.objectContaining({ kind: 'change', eventId: refunded.id })]);
    expect(await readyCount(names.eventsQueue)).toBe(0);
    expect(await readyCount(names.deadLetterQueue)).toBe(0);
  });

  test('a duplicate (same event id) reaches the same workflow again and is acknowledged: harmless, never dead-lettered', async () => {
    const { names, count } = await listen();
    const id = String(100_000 + Math.floor(Math.random() * 800_000));
    terminateLater(`shop:contact:${id}`);
    const event = shopEvent('user.updated', id);
    await publish(names.eventsExchange, event.type, event, event.id);
    await publish(names.eventsExchange, event.type, event, event.id);
    await waitFor(async () => (await count('accepted')) === 2, 'both copies accepted');
    const received = await signals<RecordEvent>(client, `shop:contact:${id}`, recordChangedSignal.name);
    expect(received.map((signal) => signal.eventId)).toEqual([event.id, event.id]);
    expect(await count('dead-lettered')).toBe(0);
    expect(await readyCount(names.deadLetterQueue)).toBe(0);
  });

  test('a message that breaks the contract is dead-lettered with its reason, recorded for the failure report, and kept out of the logs', async () => {
    const { names, count } = await listen();
    const since = new Date(Date.now() - 1000).toISOString();
    const secret = 'ada.lovelace@example.com';
    await publish(names.eventsExchange, 'user.created', Buffer.from(`{"email": "${secret}"`, 'utf8'), 'bad-json');
    await publish(names.eventsExchange, 'user.exploded', shopEvent('user.exploded', '7'), 'unknown-type');
    await publish(names.eventsExchange, 'user.created', shopEvent('user.created', '7', { data: { id: 7, version: 1, updated_at: '2026-12-03T11:20:59.123Z', email: secret } }), 'bad-data');
    await publish(names.eventsExchange, 'user.created', shopEvent('user.created', '7', { subject: 'users/8' }), 'wrong-subject');
    await waitFor(async () => (await count('dead-lettered')) === 4, 'four messages dead-lettered');

    // Draining takes messages off the queue, so what each look finds is kept for the next.
    const letters: Taken[] = [];
    await waitFor(async () => {
      letters.push(...(await drainQueue(names.deadLetterQueue)));
      return letters.length >= 4;
    }, 'four messages on the dead-letter queue');
    expect(letters).toHaveLength(4);
    const reasons: Record<string, string> = Object.fromEntries(letters.map((letter) => [letter.messageId ?? '', String(letter.headers?.[REASON_HEADER])]));
    expect(reasons['bad-json']).toBe('invalid JSON');
    expect(reasons['unknown-type']).toMatch(/^breaks the contract: type: /);
    expect(reasons['bad-data']).toMatch(/data\.id/);
    expect(reasons['bad-data']).toMatch(/email/);
    expect(reasons['wrong-subject']).toMatch(/subject/);
    for (const reason of Object.values(reasons)) expect(reason).not.toContain(secret);
    // The original bytes, untouched, for whoever looks at them.
    expect(letters.find((letter) => letter.messageId === 'bad-json')?.body.toString()).toContain(secret);
    expect(await readyCount(names.eventsQueue)).toBe(0);

    const recorded = (await store.deadLettersSince(since)).filter((letter) => letter.queue === names.eventsQueue);
    expect(recorded.map((letter) => [letter.messageId, letter.reason]).sort()).toEqual(Object.entries(reasons).sort());
    const report = composeFailureReport([], { webUiBaseUrl: 'http://localhost:8233', namespace, systems: [], now: new Date(), deadLetters: recorded });
    expect(report?.text).toContain('dead-lettered shop messages: 4');
    expect(report?.text).toContain('invalid JSON (1 message)');
    expect(report?.text).not.toContain(secret);
  });

  test('while Temporal is unreachable messages stay unacknowledged (not lost, not dead-lettered) and go through once it is back', async () => {
    // Temporal "comes back" when a relay to the run's server starts listening on the port the listener dials.
    const port = await freePort();
    // The API's own: a short reconnect backoff, and a close that waits for the calls cut off by the listener's bound
    // (one of them may have a retry on a timer, which throws from it on a closed channel).
    const ingress = connectIngress(`127.0.0.1:${port}`);
    const away = ingress.connection;
    cleanups.push(() => ingress.close());
    const awayClient = new Client({ connection: away, namespace });
    const { names, count, listening, registry } = await listen({ workflowClient: awayClient.workflow, withTemporalDeadline: (fn) => withinDeadline(away, 1_000, fn) });
    const id = String(100_000 + Math.floor(Math.random() * 800_000));
    const events = [shopEvent('user.created', id), shopEvent('business.created', id), shopEvent('purchase.created', id)];
    for (const object of ['contact', 'company', 'deal']) terminateLater(`shop:${object}:${id}`);
    for (const event of events) await publish(names.eventsExchange, event.type, event, event.id);

    await waitFor(async () => (await counted(registry, 'crm_sync_broker_handover_retries_total', {})) >= 6, 'hand-overs to be retried');
    // Held by the consumer: none ready on the queue (so none requeued), none dead-lettered, none accepted.
    expect(await readyCount(names.eventsQueue)).toBe(0);
    expect(await readyCount(names.deadLetterQueue)).toBe(0);
    expect(await count('accepted')).toBe(0);
    expect(listening.notReady()).toBeNull();

    const relay = await startRelay(port, process.env.TEMPORAL_TEST_ADDRESS ?? '');
    cleanups.push(() => relay.close());
    await waitFor(async () => (await count('accepted')) === 3, 'all three accepted once Temporal is back', 30_000);
    // At least once, never another event's: a hand-over whose answer was cut off by the listener's deadline just as
    // Temporal came back is sent again (the broker could redeliver it the same way after a crash), and the record's
    // workflow folds repeats into one pass that re-reads the record.
    for (const [index, object] of ['contact', 'company', 'deal'].entries()) {
      const received = (await signals<RecordEvent>(client, `shop:${object}:${id}`, recordChangedSignal.name)).map((signal) => signal.eventId);
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(new Set(received)).toEqual(new Set([events[index]?.id]));
    }
    expect(await readyCount(names.deadLetterQueue)).toBe(0);
  });
});

describe('shop replies', () => {
  function reply(type: string, correlationId: string, data: Record<string, unknown>) {
    return { specversion: '1.0', id: randomUUID(), source: 'urn:shop:test', type, time: '2026-12-03T11:22:00.000Z', subject: 'users/100001', datacontenttype: 'application/json', correlationid: correlationId, data };
  }

  test('a reply reaches the workflow its correlation id names as a commandReply signal; a late one is acknowledged', async () => {
    const { names, count } = await listen();
    const workflowId = `shop:contact:test-${randomUUID()}`;
    await client.workflow.start(WORKFLOW_TYPES.recordSync, { workflowId, taskQueue: TASK_QUEUES.sync, args: [{ ref: { system: 'shop', object: 'contact', id: '1' }, options: syncOptions }] });
    terminateLater(workflowId);

    const linked = correlationIdFor(workflowId, 'cmd-1');
    const rejected = correlationIdFor(workflowId, 'cmd-2');
    await publish(names.repliesExchange, 'user.linked', reply('user.linked', linked, { id: '100001', created: true, version: 3, updated_at: '2026-12-03T11:21:59.250Z', external_ids: { hubspot: '1001' } }));
    await publish(names.repliesExchange, 'user.rejected', reply('user.rejected', rejected, { errors: [{ field: 'email', message: 'taken' }, { message: 'unknown business_id' }] }));
    await waitFor(async () => (await count('replied')) === 2, 'two replies signalled');
    // Handed over concurrently: the order of the two signals is not the order of the messages.
    const received = await signals<CommandReply>(client, workflowId, commandReplySignal.name);
    expect(received.sort((a, b) => a.correlationId.localeCompare(b.correlationId))).toEqual([
      { correlationId: linked, result: { id: '100001', version: '3', modifiedAt: Date.parse('2026-12-03T11:21:59.250Z'), created: true } },
      { correlationId: rejected, errors: [{ field: 'email', reason: 'taken' }, { field: '', reason: 'unknown business_id' }] },
    ]);

    const gone = `shop:contact:gone-${randomUUID()}`;
    await publish(names.repliesExchange, 'user.linked', reply('user.linked', correlationIdFor(gone, 'cmd-1'), { id: '100002', created: false, version: 1, updated_at: '2026-12-03T11:21:30.000Z', external_ids: { zoho: '5' } }));
    await waitFor(async () => (await count('late-reply')) === 1, 'the late reply acknowledged');
    await expect(client.workflow.getHandle(gone).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    await publish(names.repliesExchange, 'user.linked', reply('user.linked', 'no-slash', { id: '1', created: true, version: 1, updated_at: '2026-12-03T11:21:30.000Z', external_ids: { zoho: '5' } }), 'not-ours');
    await waitFor(async () => (await count('dead-lettered')) === 1, 'a reply to no command of ours dead-lettered');
    expect(await readyCount(names.repliesQueue)).toBe(0);
  });
});

describe('with the shop simulator (the contract as the shop speaks it)', () => {
  test('its event reaches the record workflow; a command we publish is applied and its reply reaches the workflow that sent it', async () => {
    const { namePrefix, count } = await listen();
    const sim = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix });
    cleanups.push(() => sim.close());
    const shop = shopClient(sim.url);

    const user = await shop.create('users', { email: 'e2e.person@example.com', first_name: 'Eve' });
    terminateLater(`shop:contact:${user.id}`);
    await waitFor(async () => (await count('accepted')) === 1, 'the event accepted');
    expect(await signals<RecordEvent>(client, `shop:contact:${user.id}`, recordChangedSignal.name)).toEqual([
      { kind: 'create', occurredAt: Date.parse(String(user.updated_at)), eventId: expect.any(String) },
    ]);

    const workflowId = `shop:contact:e2e-${randomUUID()}`;
    await client.workflow.start(WORKFLOW_TYPES.recordSync, { workflowId, taskQueue: TASK_QUEUES.sync, args: [{ ref: { system: 'shop', object: 'contact', id: 'e2e' }, options: syncOptions }] });
    terminateLater(workflowId);
    const commands = createShopCommandPublisher({ url: amqpUrl(), namePrefix });
    cleanups.push(() => commands.close());
    const correlationId = correlationIdFor(workflowId, 'cmd-1');
    await commands.publish({
      specversion: '1.0',
      id: randomUUID(),
      source: 'urn:crm-sync',
      type: 'user.upsert',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      correlationid: correlationId,
      data: { shop_id: null, external_ids: { hubspot: '77' }, attributes: { email: 'e2e.other@example.com', first_name: 'Otto' } },
    });
    await waitFor(async () => (await count('replied')) === 1, 'the reply signalled');
    const [received] = await signals<CommandReply>(client, workflowId, commandReplySignal.name);
    expect(received).toEqual({ correlationId, result: { id: expect.stringMatching(/^[1-9]\d*$/), version: '1', modifiedAt: expect.any(Number), created: true } });
    terminateLater(`shop:contact:${received?.result?.id ?? ''}`);
    expect((await shop.records('users')).find((record) => record.id === received?.result?.id)).toMatchObject({ email: 'e2e.other@example.com', external_ids: { hubspot: '77' } });
    expect(await count('dead-lettered')).toBe(0);
  });
});

describe('our commands (shop simulator)', () => {
  test("an update command carries only what it changes: a person's edit the shop applies before it stays", async () => {
    const { namePrefix } = await listen();
    const sim = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix });
    cleanups.push(() => sim.close());
    const shop = shopClient(sim.url);
    const commands = createShopCommandPublisher({ url: amqpUrl(), namePrefix });
    cleanups.push(() => commands.close());
    const connector = createShopConnector({ rules: config.rules, apiUrl: sim.url, apiKey: 'sandbox-shop-key', timeoutMs: 1500 });
    const writes = shopCommandWrites(connector, config.rules, () => commands);
    const user = await shop.create('users', { email: 'race.person@example.com', first_name: 'Ed', last_name: 'Itor' });
    terminateLater(`shop:contact:${user.id}`);

    // the command waits in the shop's inbox (as one does under load) while a person edits another attribute
    await shop.faults({ loadInboxPaused: true });
    const workflowId = `shop:contact:race-${randomUUID()}`;
    await writes.send('contact', user.id, { lastName: 'Zedit' }, { crossRefs: { hubspot: '901' } }, correlationIdFor(workflowId, 'cmd-race'), 'load');
    await shop.update('users', user.id, { first_name: 'Edna' });
    await shop.faults({ loadInboxPaused: false });

    const applied = await waitFor(async () => (await shop.records('users')).find((record) => record.id === user.id && record.external_ids.hubspot === '901'), 'the command applied');
    expect(applied).toMatchObject({
      email: 'race.person@example.com',
      first_name: 'Edna',
      last_name: 'Zedit',
      external_ids: { hubspot: '901' },
    });
  });
});

describe('lanes: initial-load traffic on queues of its own', () => {
  test('a load command, its reply and the event about its change go through the load queues, none of it through the live ones', async () => {
    const { namePrefix, names, count } = await listen();
    const sim = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix });
    cleanups.push(() => sim.close());
    const shop = shopClient(sim.url);
    const workflowId = `shop:contact:load-${randomUUID()}`;
    await client.workflow.start(WORKFLOW_TYPES.recordSync, { workflowId, taskQueue: TASK_QUEUES.sync, args: [{ ref: { system: 'shop', object: 'contact', id: 'load' }, options: syncOptions }] });
    terminateLater(workflowId);
    const commands = createShopCommandPublisher({ url: amqpUrl(), namePrefix });
    cleanups.push(() => commands.close());

    const correlationId = correlationIdFor(workflowId, 'cmd-load');
    const command = {
      specversion: '1.0' as const,
      id: randomUUID(),
      source: 'urn:crm-sync',
      type: 'user.upsert',
      time: new Date().toISOString(),
      datacontenttype: 'application/json' as const,
      correlationid: correlationId,
      data: { shop_id: null, external_ids: { zoho: '5620000000099' }, attributes: { email: 'loaded.person@example.com' } },
    };
    await commands.publish(command, 'load');
    await waitFor(async () => (await count('replied', names.loadRepliesQueue)) === 1, 'the reply signalled from the load reply queue');
    const [received] = await signals<CommandReply>(client, workflowId, commandReplySignal.name);
    const userId = received?.result?.id ?? '';
    expect(received).toEqual({ correlationId, result: { id: expect.stringMatching(/^[1-9]\d*$/), version: '1', modifiedAt: expect.any(Number), created: true } });
    terminateLater(`shop:contact:${userId}`);
    await waitFor(async () => (await count('accepted', names.loadEventsQueue)) === 1, 'the event accepted from the load event queue');
    // the record's workflow hears of it on the load lane, so the pass it starts sends its own commands there too
    expect(await signals<RecordEvent>(client, `shop:contact:${userId}`, recordChangedSignal.name)).toEqual([{ kind: 'create', occurredAt: expect.any(Number), eventId: expect.any(String), lane: 'load' }]);

    // a person's change after it is live: it arrives once the load traffic is through, and only then are the live counts read
    const person = await shop.create('users', { email: 'live.person@example.com' });
    terminateLater(`shop:contact:${person.id}`);
    await waitFor(async () => (await count('accepted', names.eventsQueue)) === 1, 'the live event accepted from the live queue');
    expect(await signals<RecordEvent>(client, `shop:contact:${person.id}`, recordChangedSignal.name)).toEqual([expect.not.objectContaining({ lane: expect.anything() })]);
    expect(await count('replied', names.repliesQueue)).toBe(0);
    expect(await count('accepted', names.eventsQueue)).toBe(1);
    expect(await count('accepted', names.loadEventsQueue)).toBe(1);
    expect(await count('replied', names.loadRepliesQueue)).toBe(1);
    expect(await count('dead-lettered')).toBe(0);
  });

  test('on start, the live queues lose the # binding an earlier release gave them, so load traffic no longer reaches them', async () => {
    const namePrefix = `t${randomUUID().slice(0, 8)}.`;
    const names = shopBrokerNames(namePrefix);
    // as the release before lanes left them: the live queues bound with # (which also matches load.*)
    const queueOptions = consumedQueueOptions(names, 10);
    await rabbit.exchangeDeclare({ exchange: names.deadLetterExchange, type: 'fanout', durable: true });
    for (const [queue, exchange] of [[names.eventsQueue, names.eventsExchange], [names.repliesQueue, names.repliesExchange]] as const) {
      await rabbit.exchangeDeclare({ exchange, type: 'topic', durable: true });
      await rabbit.queueDeclare({ queue, ...queueOptions });
      await rabbit.queueBind({ queue, exchange, routingKey: '#' });
    }
    const loadEvent = shopEvent('user.updated', '100001');
    await publish(names.eventsExchange, 'load.user.updated', loadEvent);
    expect(await readyCount(names.eventsQueue)).toBe(1);
    await rabbit.queuePurge({ queue: names.eventsQueue });

    const { listening } = await listen({ namePrefix });
    // stopped, so what each queue holds stays there to be counted
    await listening.close();
    await publish(names.eventsExchange, 'load.user.updated', loadEvent);
    await publish(names.repliesExchange, 'load.user.linked', { correlationid: 'shop:contact:1/c' });
    await publish(names.eventsExchange, 'user.updated', shopEvent('user.updated', '100001'));
    await publish(names.repliesExchange, 'business.rejected', { correlationid: 'shop:company:1/c' });
    expect(await readyCount(names.loadEventsQueue)).toBe(1);
    expect(await readyCount(names.loadRepliesQueue)).toBe(1);
    expect(await readyCount(names.eventsQueue)).toBe(1);
    expect(await readyCount(names.repliesQueue)).toBe(1);
  });
});

describe('shop command publisher', () => {
  test('resolves once the broker confirmed, with the contract\'s properties and routing key', async () => {
    const namePrefix = `t${randomUUID().slice(0, 8)}.`;
    const names = shopBrokerNames(namePrefix);
    const commands = createShopCommandPublisher({ url: amqpUrl(), namePrefix });
    cleanups.push(() => commands.close());
    const inbox = `${namePrefix}test-inbox`;
    await rabbit.exchangeDeclare({ exchange: names.commandsExchange, type: 'topic', durable: true });
    await rabbit.queueDeclare({ queue: inbox, exclusive: true });
    await rabbit.queueBind({ exchange: names.commandsExchange, queue: inbox, routingKey: 'user.upsert' });
    const command = {
      specversion: '1.0' as const,
      id: randomUUID(),
      source: 'urn:crm-sync',
      type: 'user.upsert',
      time: '2026-12-03T11:23:00.000Z',
      datacontenttype: 'application/json' as const,
      correlationid: correlationIdFor('shop:contact:1', 'cmd-1'),
      data: { shop_id: null, external_ids: { hubspot: '1001' }, attributes: { email: 'ada@example.com' } },
    };
    await commands.publish(command);
    const [message] = await waitFor(async () => {
      const got = await drainQueue(inbox);
      return got.length ? got : null;
    }, 'the command in the inbox');
    expect(message).toMatchObject({ routingKey: 'user.upsert', messageId: command.id, correlationId: command.correlationid, contentType: 'application/cloudevents+json', durable: true });
    expect(JSON.parse(message?.body.toString() ?? '')).toEqual(command);

    // on the load lane: routed load.user.upsert, the body unchanged
    await rabbit.queueBind({ exchange: names.commandsExchange, queue: inbox, routingKey: 'load.user.upsert' });
    await commands.publish(command, 'load');
    const [loaded] = await waitFor(async () => {
      const got = await drainQueue(inbox);
      return got.length ? got : null;
    }, 'the load command in the inbox');
    expect(loaded?.routingKey).toBe('load.user.upsert');
    expect(JSON.parse(loaded?.body.toString() ?? '')).toEqual(command);
  });

  test('a publish the broker does not confirm rejects with a retryable error', async () => {
    const commands = createShopCommandPublisher({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}`, timeoutMs: 500, maxAttempts: 1 });
    cleanups.push(() => commands.close());
    const publishing = commands.publish({
      specversion: '1.0',
      id: randomUUID(),
      source: 'urn:crm-sync',
      type: 'business.upsert',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      correlationid: 'shop:company:1/cmd',
      data: {},
    });
    await expect(publishing).rejects.toBeInstanceOf(ShopCommandNotConfirmedError);
    await expect(publishing).rejects.toMatchObject({ retryable: true, category: 'transient' });
  });
});

describe('readiness', () => {
  test('a listener without its broker says so', async () => {
    const listening: Listening = await shopListener({
      config,
      url: `amqp://guest:guest@127.0.0.1:${await freePort()}`,
      workflowClient: client.workflow,
      withTemporalDeadline: (fn) => fn(),
      syncOptions,
      logger: silentLogger,
      registry: new Registry(),
    });
    cleanups.push(() => listening.close());
    expect(listening.notReady()).toMatch(/not connected/);
  });
});
