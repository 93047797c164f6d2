import { randomUUID } from 'node:crypto';
import { Connection, type Consumer, type Publisher } from 'rabbitmq-client';
import { createShopSimulator, topology, type CloudEvent, type ShopSimulator, type ShopSimulatorInput, type ShopTopology } from '../../src/sandbox/shop';
import { amqpUrl } from './amqp';
import { waitFor } from './wait-for';

/** A message as a consumer of the shop sees it: the parsed CloudEvent and the AMQP properties beside it. */
export interface Received {
  routingKey: string;
  event: CloudEvent;
  messageId?: string;
  correlationId?: string;
  contentType?: string;
  at: number;
}

/** A test's own exclusive queue bound to one exchange: what the shop published there, in arrival order. */
export interface Tap {
  messages: Received[];
  /** Waits until `count` messages arrived (and fails if more than `count` did once `settleMs` has passed). */
  expect(count: number, settleMs?: number): Promise<Received[]>;
  clear(): void;
}

export interface ShopKit {
  sim: ShopSimulator;
  names: ShopTopology;
  rabbit: Connection;
  events: Tap;
  replies: Tap;
  /** Publishes a command with a publisher confirm, as crm-sync must. */
  send(routingKey: string, body: unknown): Promise<void>;
  /** POST /_sim/events/drain. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

async function tap(rabbit: Connection, exchange: string): Promise<{ tap: Tap; consumer: Consumer }> {
  const messages: Received[] = [];
  const errors: string[] = [];
  const queue = `test-tap-${randomUUID()}`;
  const consumer = rabbit.createConsumer({ queue, queueOptions: { exclusive: true, autoDelete: true }, queueBindings: [{ exchange, queue, routingKey: '#' }] }, (message) => {
    const text = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : String(message.body);
    messages.push({ routingKey: message.routingKey, event: JSON.parse(text) as CloudEvent, messageId: message.messageId, correlationId: message.correlationId, contentType: message.contentType, at: Date.now() });
  });
  // Kept and asserted on rather than thrown from an event emitter, so a failing ack names itself in the test.
  consumer.on('error', (error) => errors.push(String(error)));
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  return {
    consumer,
    tap: {
      messages,
      async expect(count, settleMs = 150) {
        await waitFor(() => messages.length >= count, `${count} message(s) on ${exchange}, got ${messages.length}`, 10_000, 20);
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        expect(errors).toEqual([]);
        expect(messages.map((m) => m.routingKey)).toHaveLength(count);
        return [...messages];
      },
      clear: () => void messages.splice(0),
    },
  };
}

/** A shop simulator on port 0 with exchange and queue names of its own, and taps on its events and replies. */
export async function startShopKit(input: Partial<ShopSimulatorInput> = {}): Promise<ShopKit> {
  const namePrefix = `t${randomUUID().slice(0, 8)}.`;
  const sim = await createShopSimulator({ port: 0, amqpUrl: amqpUrl(), namePrefix, randomSeed: 7, ...input });
  const names = topology(sim.options);
  const rabbit = new Connection(amqpUrl());
  rabbit.on('error', () => undefined);
  const events = await tap(rabbit, names.eventsExchange);
  const replies = await tap(rabbit, names.repliesExchange);
  const publisher: Publisher = rabbit.createPublisher({ confirm: true });
  return {
    sim,
    names,
    rabbit,
    events: events.tap,
    replies: replies.tap,
    send: (routingKey, body) =>
      publisher.send({ exchange: names.commandsExchange, routingKey, contentType: 'application/cloudevents+json', durable: true }, Buffer.from(JSON.stringify(body), 'utf8')),
    async drain() {
      const response = await fetch(`${sim.url}/_sim/events/drain`, { method: 'POST' });
      if (response.status !== 204) throw new Error(`drain → ${response.status}`);
    },
    async close() {
      await Promise.all([events.consumer.close(), replies.consumer.close(), publisher.close()]);
      await rabbit.close();
      await sim.close();
    },
  };
}

/** A user.upsert / business.upsert command as crm-sync would send it. */
export function upsertCommand(type: 'user.upsert' | 'business.upsert', data: Record<string, unknown>, correlationid: string = randomUUID()) {
  return { specversion: '1.0', id: randomUUID(), source: 'urn:crm-sync:test', type, time: new Date().toISOString(), datacontenttype: 'application/json', correlationid, data };
}
