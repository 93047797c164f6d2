import { createHash } from 'node:crypto';
import { ConsumerStatus, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import type { SystemName } from '../../../domain/records';
import type { Logger } from '../../../logger';
import type { ListenContext } from '../../types';
import { errorSummary } from './hand-over';
import type { BrokerMetrics } from './metrics';

/** The header that says why crm-sync set a message aside; the others say where it came from. */
export const REASON_HEADER = 'x-crm-sync-reason';
export const QUEUE_HEADER = 'x-crm-sync-queue';
export const EXCHANGE_HEADER = 'x-crm-sync-exchange';

export interface DeadLettererDeps {
  system: SystemName;
  exchange: string;
  /** a confirming publisher on the listener's connection */
  publisher: Publisher;
  store: ListenContext['store'];
  logger: Logger;
  metrics: BrokerMetrics;
}

/**
 * Sets aside a message that breaks the contract. We publish the copy to the dead-letter exchange ourselves, with the
 * reason in a header, and then acknowledge the original, rather than rejecting it and letting the broker dead-letter
 * it: the broker's x-death header only says "rejected", and a person opening the dead-letter queue should see why
 * without searching the logs. Should that publish fail, the message is rejected without requeue after all, so it
 * still reaches the dead-letter queue (with x-death; the reason then lives in the store and the log).
 * The failure report's entry is keyed by a digest of the body, so a redelivery is recorded once. A store that fails
 * does not hold the message up: requeueing it would loop a poison message through the broker, and the copy in the
 * dead-letter queue (with its reason), the log line and the metric still tell of it.
 */
export function createDeadLetterer(deps: DeadLettererDeps) {
  return async function deadLetter(message: AsyncMessage, queue: string, reason: string): Promise<ConsumerStatus> {
    const raw = rawBody(message.body);
    const messageId = message.messageId ?? null;
    await deps.store?.recordDeadLetter({ system: deps.system, queue, messageId, key: createHash('sha256').update(raw).digest('hex'), reason }).catch((error: unknown) => {
      deps.logger.error({ queue, messageId, err: errorSummary(error) }, 'could not record a dead-lettered message for the failure report');
    });
    const status = await copyToDeadLetters(message, queue, reason, raw);
    // Counted once the copy is on its way or the broker was told to dead-letter it, so whoever watches the metric
    // finds the message in the dead-letter queue. The body may hold personal data: the log names the message by id
    // and says why, nothing more.
    deps.logger.warn({ queue, messageId, routingKey: message.routingKey, reason }, 'dead-lettered a message that breaks the contract');
    deps.metrics.message(queue, 'dead-lettered');
    return status;
  };

  async function copyToDeadLetters(message: AsyncMessage, queue: string, reason: string, raw: Buffer): Promise<ConsumerStatus> {
    try {
      await deps.publisher.send(
        {
          exchange: deps.exchange,
          routingKey: message.routingKey,
          durable: true,
          messageId: message.messageId,
          correlationId: message.correlationId,
          type: message.type,
          contentType: message.contentType,
          contentEncoding: message.contentEncoding,
          timestamp: message.timestamp,
          headers: { ...message.headers, [REASON_HEADER]: reason, [QUEUE_HEADER]: queue, [EXCHANGE_HEADER]: message.exchange },
        },
        raw,
      );
      return ConsumerStatus.ACK;
    } catch (error) {
      deps.logger.warn({ queue, messageId: message.messageId, err: errorSummary(error) }, 'could not publish to the dead-letter exchange; rejecting the message so the broker dead-letters it');
      return ConsumerStatus.DROP;
    }
  }
}

/** The bytes as they arrived (the client decodes text/plain and application/json bodies; those are encoded back). */
export function rawBody(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}
