import { WorkflowNotFoundError } from '@temporalio/common';
import { Connection } from 'rabbitmq-client';
import { signalRecordChange } from '../../../temporal/record-signals';
import { commandReplySignal, workflowIdOfCorrelation } from '../../../workflows/messages';
import type { ListenContext, Listening } from '../../types';
import { commandReplyOf, parseShopEvent, parseShopReply, recordChangeOf, type Parsed, type ShopReply } from './contract';
import { consumeQueue } from './consumer';
import { createDeadLetterer } from './dead-letter';
import { DEFAULT_BACKOFF, HandOverGate, errorSummary, type Backoff } from './hand-over';
import { createBrokerMetrics, type MessageOutcome } from './metrics';
import type { Lane } from '../../../domain/lane';
import {
  CATCH_ALL_BINDING,
  consumedQueueOptions,
  deadLetterExchange,
  deadLetterQueueOptions,
  eventBindingKeys,
  replyBindingKeys,
  shopBrokerNames,
  shopExchange,
  type ShopBrokerNames,
} from './topology';

export interface ShopListenerOptions extends ListenContext {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /** prepended to every exchange and queue name (default none) */
  namePrefix?: string;
  /** unacknowledged messages per consumer: also how many wait, held, while Temporal is unreachable (default 100) */
  prefetch?: number;
  /** messages handed to Temporal at once per consumer (default 16) */
  concurrency?: number;
  /** the same for the initial-load queues (defaults 10 and 2): a load backlog takes little of the hand-over's share */
  loadPrefetch?: number;
  loadConcurrency?: number;
  /** deliveries before the broker dead-letters a message by itself (default 10) */
  deliveryLimit?: number;
  backoff?: Backoff;
}

const SYSTEM = 'shop';
const LANES: readonly Lane[] = ['live', 'load'];

/**
 * Receives the shop's events and its replies to our commands (docs/shop-contract.asyncapi.yaml) and hands each to
 * Temporal: an event to its record's workflow (signalWithStart), a reply to the workflow that sent the command.
 * Each comes on one of two lanes, each with its own queues: live traffic, and an initial load's (load commands'
 * replies and the events about what they changed). The load consumers hold few messages and hand over few at once,
 * so a backlog of thousands of loaded records never stands between a person's change and its workflow.
 * Resolves at once, broker or not: /readyz says why it is not consuming (notReady) until it is.
 *
 * rabbitmq-client, because it reconnects by itself and then declares the queues, exchanges and bindings of each
 * consumer again (amqplib does neither), so a broker restart needs no code of ours.
 */
export async function shopListener(options: ShopListenerOptions): Promise<Listening> {
  const names = shopBrokerNames(options.namePrefix);
  const { logger } = options;
  const rabbit = new Connection({ url: options.url, connectionName: 'crm-sync-shop-listener' });
  // The client retries the connection by itself; its errors arrive here and must be listened to.
  rabbit.on('error', (error: unknown) => logger.warn({ err: errorSummary(error) }, 'shop broker connection error'));
  const closing = new AbortController();
  const metrics = createBrokerMetrics(SYSTEM, options.registry);
  // One gate for every queue: they hand over to the same Temporal, so one outage pauses them all.
  const gate = new HandOverGate(options.backoff ?? DEFAULT_BACKOFF, closing.signal, logger, () => metrics.handOverRetry());
  const publisher = rabbit.createPublisher({ confirm: true });
  const deadLetter = createDeadLetterer({ system: SYSTEM, exchange: names.deadLetterExchange, publisher, store: options.store, logger, metrics });
  const deps = { rabbit, prefetch: options.prefetch ?? 100, concurrency: options.concurrency ?? 16, gate, deadLetter, metrics, logger };
  const queueOptions = consumedQueueOptions(names, options.deliveryLimit ?? 10);

  const lanes = LANES.map((lane) => {
    const laneDeps = lane === 'live' ? deps : { ...deps, prefetch: options.loadPrefetch ?? 10, concurrency: options.loadConcurrency ?? 2 };
    return [
      consumeQueue(laneDeps, {
        queue: lane === 'live' ? names.eventsQueue : names.loadEventsQueue,
        queueOptions,
        exchanges: [shopExchange(names.eventsExchange)],
        bindings: eventBindingKeys(lane).map((routingKey) => ({ exchange: names.eventsExchange, routingKey })),
        parse: parseShopEvent,
        accept: async (event): Promise<MessageOutcome> => {
          await options.withTemporalDeadline(() => signalRecordChange(options.workflowClient, recordChangeOf(event, lane), options.syncOptions));
          return 'accepted';
        },
      }),
      consumeQueue(laneDeps, {
        queue: lane === 'live' ? names.repliesQueue : names.loadRepliesQueue,
        queueOptions,
        exchanges: [shopExchange(names.repliesExchange)],
        bindings: replyBindingKeys(lane).map((routingKey) => ({ exchange: names.repliesExchange, routingKey })),
        parse: parseOurReply,
        accept: ({ reply, workflowId }) => signalReply(options, reply, workflowId),
      }),
    ];
  });
  const consumers = lanes.flat();

  let topologyError: string | null = null;
  // The queues name the dead-letter exchange: it and its queue must exist before anything can be dead-lettered, so
  // they are declared on every connection (a no-op once they exist) and the consumers start after the first time.
  rabbit.on('connection', () => {
    declareTopology(rabbit, names, queueOptions).then(
      () => {
        topologyError = null;
        if (closing.signal.aborted) return;
        for (const { consumer } of consumers) consumer.start();
      },
      (error: unknown) => {
        topologyError = errorSummary(error);
        logger.error({ err: topologyError }, 'could not declare the shop dead-letter exchange and queue, or unbind the live queues\' catch-all');
      },
    );
  });

  let closed: Promise<void> | null = null;
  return {
    notReady() {
      if (!rabbit.ready) return 'shop broker: not connected to RabbitMQ';
      if (topologyError) return `shop broker: topology not declared (${topologyError})`;
      const reason = consumers.map((queue) => queue.notReady()).find((why) => why !== null) ?? null;
      return reason ? `shop broker: ${reason}` : null;
    },
    close() {
      closed ??= (async () => {
        // Handlers waiting out a Temporal outage give their messages back now instead of holding close() up.
        closing.abort();
        await Promise.all(consumers.map(({ consumer }) => consumer.close()));
        await publisher.close();
        await rabbit.close();
      })();
      return closed;
    },
  };
}

/**
 * Before any consumer starts: the dead-letter exchange and queue, which the consumed queues name; and the live queues
 * without the `#` binding they had before lanes (a topic `#` also matches `load.*`, so an existing deployment would
 * keep taking load traffic on its live queues). Each step is a no-op once done, so it runs on every connection.
 */
async function declareTopology(rabbit: Connection, names: ShopBrokerNames, queueOptions: ReturnType<typeof consumedQueueOptions>): Promise<void> {
  await rabbit.exchangeDeclare(deadLetterExchange(names));
  await rabbit.queueDeclare({ queue: names.deadLetterQueue, ...deadLetterQueueOptions() });
  await rabbit.queueBind({ exchange: names.deadLetterExchange, queue: names.deadLetterQueue, routingKey: '' });
  for (const [queue, exchange] of [
    [names.eventsQueue, names.eventsExchange],
    [names.repliesQueue, names.repliesExchange],
  ] as const) {
    await rabbit.exchangeDeclare(shopExchange(exchange));
    await rabbit.queueDeclare({ queue, ...queueOptions });
    await rabbit.queueUnbind({ queue, exchange, routingKey: CATCH_ALL_BINDING });
  }
}

/** A plain signal, never signalWithStart: a reply must not start a workflow that is not waiting for it. */
async function signalReply(options: ShopListenerOptions, reply: ShopReply, workflowId: string): Promise<MessageOutcome> {
  try {
    await options.withTemporalDeadline(() => options.workflowClient.getHandle(workflowId).signal(commandReplySignal, commandReplyOf(reply)));
    return 'replied';
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    // The workflow finished (or gave up waiting and looks the record up itself): nothing is waiting for this.
    options.logger.debug({ workflowId, messageId: reply.id }, 'late reply to a finished command');
    return 'late-reply';
  }
}

/** A reply whose correlation id names none of our workflows cannot be delivered anywhere: it breaks the contract. */
function parseOurReply(body: unknown): Parsed<{ reply: ShopReply; workflowId: string }> {
  const parsed = parseShopReply(body);
  if (!parsed.ok) return parsed;
  const workflowId = workflowIdOfCorrelation(parsed.value.correlationid);
  if (workflowId === null) return { ok: false, reason: 'breaks the contract: correlationid names no crm-sync command' };
  return { ok: true, value: { reply: parsed.value, workflowId } };
}
