import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Connection, type Consumer } from 'rabbitmq-client';
import { startRabbitNode, type RabbitNode } from '../../../src/sandbox/broker/rabbitmq-node';
import { createShopSimulator, topology, type CloudEvent, type ShopSimulator } from '../../../src/sandbox/shop';
import { TEST_STATE_DIR } from '../../support/paths';
import { shopClient } from '../../support/shop-admin';
import { upsertCommand } from '../../support/shop-kit';
import { waitFor } from '../../support/wait-for';

/**
 * Restarting the run's shared broker would break the test files running beside this one, so this file restarts a
 * node of its own (same name, data and AMQP port, so durable exchanges and queues come back as a real restart would).
 */
const dir = join(TEST_STATE_DIR, `rabbitmq-restart-${process.pid}`);
const name = `crmsync-restart-${process.pid}`;
let node: RabbitNode;
let sim: ShopSimulator;
let observer: Connection;
let consumer: Consumer;
const received: CloudEvent[] = [];

beforeAll(async () => {
  node = await startRabbitNode({ dir, name, path: process.env.PATH ?? '' });
  sim = await createShopSimulator({ port: 0, amqpUrl: node.url });
  const names = topology(sim.options);
  observer = new Connection({ url: node.url, retryLow: 100, retryHigh: 500 });
  observer.on('error', () => undefined);
  // A durable queue of the test's own, declared once: what the shop publishes while nobody consumes waits in it.
  const queue = `test-restart-${randomUUID()}`;
  const queueBindings = [names.eventsExchange, names.repliesExchange].map((exchange) => ({ queue, exchange, routingKey: '#' }));
  consumer = observer.createConsumer({ queue, queueOptions: { durable: true }, queueBindings }, (message) => {
    received.push(JSON.parse(Buffer.isBuffer(message.body) ? message.body.toString('utf8') : String(message.body)) as CloudEvent);
  });
  consumer.on('error', () => undefined);
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
}, 90_000);
afterAll(async () => {
  try {
    await sim?.close();
    await consumer?.close();
    await observer?.close();
  } finally {
    // Whatever failed above, this node is ours alone and must not outlive the run.
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('after a broker restart the shop publishes again and consumes commands again, by itself', async () => {
  const shop = shopClient(sim.url);
  await shop.create('users', { email: 'before@example.com' });
  await waitFor(() => received.some((e) => e.type === 'user.created'), 'the event before the restart');

  await node.stop();
  // A change made while the broker is down is published once it is back (the outbox retries until confirmed).
  const during = await shop.create('users', { email: 'during@example.com' });
  node = await startRabbitNode({ dir, name, port: node.port, path: process.env.PATH ?? '' });

  await waitFor(() => received.some((e) => e.type === 'user.created' && e.data.id === during.id), 'the event of the change made during the outage', 30_000);
  const publisher = observer.createPublisher({ confirm: true, maxAttempts: 5 });
  const command = upsertCommand('user.upsert', { external_ids: { hubspot: '31' }, attributes: { email: 'after@example.com' } });
  await publisher.send({ exchange: topology(sim.options).commandsExchange, routingKey: 'user.upsert' }, Buffer.from(JSON.stringify(command)));
  await waitFor(() => received.some((e) => e.type === 'user.linked' && e.correlationid === command.correlationid), 'the reply to a command sent after the restart', 30_000);
  await publisher.close();
  expect((await shop.records('users')).map((u) => u.email)).toEqual(['before@example.com', 'during@example.com', 'after@example.com']);
}, 90_000);

test('a node asked for a port another program holds refuses to start, saying so, rather than pass that program off as the broker', async () => {
  // an HTTP server, as the Temporal dev server's metrics endpoint on a port that was free when it was picked
  const holder = createServer((_req, res) => res.end('not a broker'));
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const otherDir = join(TEST_STATE_DIR, `rabbitmq-taken-${process.pid}`);
  try {
    await expect(startRabbitNode({ dir: otherDir, name: `crmsync-taken-${process.pid}`, port, path: process.env.PATH ?? '' })).rejects.toThrow(
      `AMQP port ${port}: address already in use`,
    );
  } finally {
    await new Promise((resolve) => holder.close(resolve));
    rmSync(otherDir, { recursive: true, force: true });
  }
});
