import { AMQPError, ConsumerStatus, type AsyncMessage, type Connection, type Consumer } from 'rabbitmq-client';
import type { Logger } from '../../../logger';
import type { Parsed } from './contract';
import type { consumedQueueOptions } from './topology';
import { HandOverRefusedError, ListenerClosingError, errorSummary, type HandOverGate } from './hand-over';
import type { BrokerMetrics, MessageOutcome } from './metrics';

export interface QueueSpec<T> {
  queue: string;
  queueOptions: ReturnType<typeof consumedQueueOptions>;
  exchanges: { exchange: string; type: string; durable: boolean }[];
  bindings: { exchange: string; routingKey: string }[];
  /** the contract's check of the decoded JSON body */
  parse(body: unknown): Parsed<T>;
  /** hands the message to Temporal; resolves once Temporal accepted it, with what to count */
  accept(value: T): Promise<MessageOutcome>;
}

export interface QueueConsumerDeps {
  rabbit: Connection;
  prefetch: number;
  concurrency: number;
  gate: HandOverGate;
  deadLetter(message: AsyncMessage, queue: string, reason: string): Promise<ConsumerStatus>;
  metrics: BrokerMetrics;
  logger: Logger;
}

export interface QueueConsumer {
  consumer: Consumer;
  /** why it is not consuming, or null */
  notReady(): string | null;
}

/**
 * One queue's consumer: a message is acknowledged only once Temporal accepted it (a crash before that redelivers it,
 * and a second hand-over is harmless), and one that breaks the contract is dead-lettered at once. Started lazily: the
 * listener starts it once the dead-letter exchange it names exists.
 */
export function consumeQueue<T>(deps: QueueConsumerDeps, spec: QueueSpec<T>): QueueConsumer {
  let ready = false;
  let setupError: string | null = null;
  const consumer = deps.rabbit.createConsumer(
    {
      queue: spec.queue,
      queueOptions: spec.queueOptions,
      exchanges: spec.exchanges,
      queueBindings: spec.bindings.map((binding) => ({ ...binding, queue: spec.queue })),
      qos: { prefetchCount: deps.prefetch },
      concurrency: deps.concurrency,
      // A throw means "not handed over" (the listener is closing): back to the queue for the next consumer.
      requeue: true,
      lazy: true,
    },
    async (message) => {
      const parsed = decode(message.body, (json) => spec.parse(json));
      if (!parsed.ok) return deps.deadLetter(message, spec.queue, parsed.reason);
      try {
        deps.metrics.message(spec.queue, await deps.gate.run(() => spec.accept(parsed.value)));
        return ConsumerStatus.ACK;
      } catch (error) {
        if (error instanceof HandOverRefusedError) return deps.deadLetter(message, spec.queue, error.message);
        throw error;
      }
    },
  );
  consumer.on('ready', () => {
    ready = true;
    setupError = null;
  });
  consumer.on('error', (error: unknown) => {
    if (error instanceof ListenerClosingError) return;
    // The client's own errors concern the channel (a declaration refused, the consumer cancelled); it sets up again.
    if (error instanceof AMQPError) {
      ready = false;
      setupError = errorSummary(error);
    }
    deps.logger.warn({ queue: spec.queue, err: errorSummary(error) }, 'broker consumer error');
  });
  return {
    consumer,
    notReady: () => (ready ? null : `consumer of ${spec.queue} not started${setupError ? ` (${setupError})` : ''}`),
  };
}

/** JSON of any content type: the client hands application/cloudevents+json over as bytes. */
function decode<T>(body: unknown, parse: (json: unknown) => Parsed<T>): Parsed<T> {
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return parse(body);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body);
  } catch {
    // JSON.parse's message quotes the body: the reason must not.
    return { ok: false, reason: 'invalid JSON' };
  }
  return parse(json);
}
