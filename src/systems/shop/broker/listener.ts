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
import { consumedQueueOptions, deadLetterExchange, deadLetterQueueOptions, shopBrokerNames, shopExchange, type ShopBrokerNames } from './topology';

export interface ShopListenerOptions extends ListenContext {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /** prepended to every exchange and queue name (default none) */
  namePrefix?: string;
  /** unacknowledged messages per consumer: also how many wait, held, while Temporal is unreachable (default 100) */
  prefetch?: number;
  /** messages handed to Temporal at once per consumer (default 16) */
  concurrency?: number;
  /** deliveries before the broker dead-letters a message by itself (default 10) */
  deliveryLimit?: number;
  backoff?: Backoff;
}

const SYSTEM = 'shop';

/**
 * Receives the shop's events and its replies to our commands (docs/shop-contract.asyncapi.yaml) and hands each to
 * Temporal: an event to its record's workflow (signalWithStart), a reply to the workflow that sent the command.
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
  // One gate for both queues: they hand over to the same Temporal, so one outage pauses both.
  const gate = new HandOverGate(options.backoff ?? DEFAULT_BACKOFF, closing.signal, logger, () => metrics.handOverRetry());
  const publisher = rabbit.createPublisher({ confirm: true });
  const deadLetter = createDeadLetterer({ system: SYSTEM, exchange: names.deadLetterExchange, publisher, store: options.store, logger, metrics });
  const deps = { rabbit, prefetch: options.prefetch ?? 100, concurrency: options.concurrency ?? 16, gate, deadLetter, metrics, logger };
  const queueOptions = consumedQueueOptions(names, options.deliveryLimit ?? 10);

  const events = consumeQueue(deps, {
    queue: names.eventsQueue,
    queueOptions,
    exchanges: [shopExchange(names.eventsExchange)],
    bindings: [{ exchange: names.eventsExchange, routingKey: '#' }],
    parse: parseShopEvent,
    accept: async (event): Promise<MessageOutcome> => {
      await options.withTemporalDeadline(() => signalRecordChange(options.workflowClient, recordChangeOf(event), options.syncOptions));
      return 'accepted';
    },
  });

  const replies = consumeQueue(deps, {
    queue: names.repliesQueue,
    queueOptions,
    exchanges: [shopExchange(names.repliesExchange)],
    bindings: [{ exchange: names.repliesExchange, routingKey: '#' }],
    parse: parseOurReply,
    accept: async ({ reply, workflowId }): Promise<MessageOutcome> => {
      try {
        // A plain signal, never signalWithStart: a reply must not start a workflow that is not waiting for it.
        await options.withTemporalDeadline(() => options.workflowClient.getHandle(workflowId).signal(commandReplySignal, commandReplyOf(reply)));
        return 'replied';
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // The workflow finished (or gave up waiting and looks the record up itself): nothing is waiting for this.
        logger.debug({ workflowId, messageId: reply.id }, 'late reply to a finished command');
        return 'late-reply';
      }
    },
  });

  let topologyError: string | null = null;
  // The queues name the dead-letter exchange: it and its queue must exist before anything can be dead-lettered, so
  // they are declared on every connection (a no-op once they exist) and the consumers start after the first time.
  rabbit.on('connection', () => {
    declareDeadLetterTopology(rabbit, names).then(
      () => {
        topologyError = null;
        if (closing.signal.aborted) return;
        events.consumer.start();
        replies.consumer.start();
      },
      (error: unknown) => {
        topologyError = errorSummary(error);
        logger.error({ err: topologyError }, 'could not declare the shop dead-letter exchange and queue');
      },
    );
  });

  let closed: Promise<void> | null = null;
  return {
    notReady() {
      if (!rabbit.ready) return 'shop broker: not connected to RabbitMQ';
      if (topologyError) return `shop broker: dead-letter exchange and queue not declared (${topologyError})`;
      const reason = events.notReady() ?? replies.notReady();
      return reason ? `shop broker: ${reason}` : null;
    },
    close() {
      closed ??= (async () => {
        // Handlers waiting out a Temporal outage give their messages back now instead of holding close() up.
        closing.abort();
        await Promise.all([events.consumer.close(), replies.consumer.close()]);
        await publisher.close();
        await rabbit.close();
      })();
      return closed;
    },
  };
}

async function declareDeadLetterTopology(rabbit: Connection, names: ShopBrokerNames): Promise<void> {
  await rabbit.exchangeDeclare(deadLetterExchange(names));
  await rabbit.queueDeclare({ queue: names.deadLetterQueue, ...deadLetterQueueOptions() });
  await rabbit.queueBind({ exchange: names.deadLetterExchange, queue: names.deadLetterQueue, routingKey: '' });
}

/** A reply whose correlation id names none of our workflows cannot be delivered anywhere: it breaks the contract. */
function parseOurReply(body: unknown): Parsed<{ reply: ShopReply; workflowId: string }> {
  const parsed = parseShopReply(body);
  if (!parsed.ok) return parsed;
  const workflowId = workflowIdOfCorrelation(parsed.value.correlationid);
  if (workflowId === null) return { ok: false, reason: 'breaks the contract: correlationid names no crm-sync command' };
  return { ok: true, value: { reply: parsed.value, workflowId } };
}
