import { Connection } from 'rabbitmq-client';
import { listen } from '../common/http-server';
import { buildApp } from './app';
import { handleCommand } from './commands';
import { createContext } from './context';
import { loadSnapshot } from './snapshot';
import { resolveOptions, type ShopSimulatorInput, type ShopSimulatorOptions } from './options';

export type { ShopSimulatorInput, ShopSimulatorOptions, ShopTopology } from './options';
export type { CloudEvent } from './cloud-events';
export { topology } from './options';

export interface ShopSimulator {
  /** Base URL of the HTTP side, e.g. http://127.0.0.1:3103 (read API under /api/v1, controls under /_sim). */
  url: string;
  port: number;
  options: ShopSimulatorOptions;
  close(): Promise<void>;
}

/**
 * Starts an in-memory shop: the read API of docs/shop-api.openapi.yaml, events and command replies on RabbitMQ as
 * docs/shop-contract.asyncapi.yaml says, and /_sim controls. Resolves once the broker is reached and the exchanges and
 * the command queue exist, so a command or a test's binding made right after is not lost.
 */
export async function createShopSimulator(input: ShopSimulatorInput): Promise<ShopSimulator> {
  const options = resolveOptions(input);
  const rabbit = new Connection({ url: options.amqpUrl, connectionName: 'shop-simulator' });
  // rabbitmq-client reconnects by itself; its errors are reported on this event and must be listened to.
  rabbit.on('error', () => undefined);
  try {
    await rabbit.onConnect(options.connectTimeoutMs);
  } catch (error) {
    await rabbit.close();
    throw new Error(`Shop simulator: no RabbitMQ at ${options.amqpUrl.replace(/\/\/[^@]*@/, '//')}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ctx = createContext(options, rabbit);
  const { names } = ctx;
  // Before the first command is consumed: a command must find the records it was sent for.
  if (options.snapshotFile) await loadSnapshot(ctx.data, options.snapshotFile);
  for (const exchange of [names.eventsExchange, names.commandsExchange, names.repliesExchange]) {
    await rabbit.exchangeDeclare({ exchange, type: 'topic', durable: true });
  }
  // One command at a time, in queue order: the shop applies commands as a single writer would.
  const consumer = rabbit.createConsumer(
    {
      queue: names.commandQueue,
      queueOptions: { durable: true, arguments: { 'x-queue-type': 'quorum' } },
      qos: { prefetchCount: 10 },
      concurrency: 1,
      exchanges: [{ exchange: names.commandsExchange, type: 'topic', durable: true }],
      queueBindings: ['user.upsert', 'business.upsert'].map((routingKey) => ({ exchange: names.commandsExchange, queue: names.commandQueue, routingKey })),
    },
    (message) => handleCommand({ ...ctx, stats: ctx.messages, source: options.source, repliesExchange: names.repliesExchange }, message.body),
  );
  consumer.on('error', () => undefined);
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  const server = await listen(buildApp(ctx), options.host, options.port);

  let closed: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    options,
    close() {
      closed ??= (async () => {
        await server.close();
        await consumer.close();
        await ctx.outbox.close();
        await rabbit.close();
        await ctx.snapshots?.flush();
      })();
      return closed;
    },
  };
}
