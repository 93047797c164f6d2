import { Connection, ConsumerStatus, type Consumer } from 'rabbitmq-client';
import { listen } from '../common/http-server';
import { buildApp } from './app';
import { laneKey, type Lane } from './cloud-events';
import { handleCommand } from './commands';
import { createContext, type ShopContext } from './context';
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
 * the command queues (live and load) exist, so a command or a test's binding made right after is not lost.
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
  const closing = new AbortController();
  const live = await commandConsumer(rabbit, ctx, 'live', closing.signal);
  const load = await commandConsumer(rabbit, ctx, 'load', closing.signal);
  const server = await listen(buildApp(ctx), options.host, options.port);

  let closed: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    options,
    close() {
      closed ??= (async () => {
        await server.close();
        // a load command held by the loadInboxPaused fault goes back to its queue
        closing.abort();
        await Promise.all([live.close(), load.close()]);
        await ctx.outbox.close();
        await rabbit.close();
        await ctx.snapshots?.flush();
      })();
      return closed;
    },
  };
}

const PAUSE_POLL_MS = 50;

/**
 * One inbox's consumer. Commands are applied one at a time, in queue order, as a single writer would; the live inbox
 * and the load inbox each have one, and the load one holds a single message at a time, so a live command waits for at
 * most the one load command being applied, never for the load backlog.
 */
async function commandConsumer(rabbit: Connection, ctx: ShopContext, lane: Lane, closing: AbortSignal): Promise<Consumer> {
  const { names, options } = ctx;
  const queue = lane === 'live' ? names.commandQueue : names.loadCommandQueue;
  const commandContext = { ...ctx, stats: ctx.messages, source: options.source, repliesExchange: names.repliesExchange };
  const consumer = rabbit.createConsumer(
    {
      queue,
      queueOptions: { durable: true, arguments: { 'x-queue-type': 'quorum' } },
      qos: { prefetchCount: lane === 'live' ? 10 : 1 },
      concurrency: 1,
      exchanges: [{ exchange: names.commandsExchange, type: 'topic', durable: true }],
      queueBindings: ['user.upsert', 'business.upsert'].map((type) => ({ exchange: names.commandsExchange, queue, routingKey: laneKey(lane, type) })),
    },
    async (message) => {
      while (lane === 'load' && ctx.faults.get().loadInboxPaused) {
        if (closing.aborted) return ConsumerStatus.REQUEUE;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_POLL_MS));
      }
      handleCommand(commandContext, message.body, lane);
      return ConsumerStatus.ACK;
    },
  );
  consumer.on('error', () => undefined);
  await new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  return consumer;
}
