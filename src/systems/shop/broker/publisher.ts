import { Connection } from 'rabbitmq-client';
import { TransientCrmError } from '../../../connectors/errors';
import type { Lane } from '../../../domain/lane';
import { errorSummary } from './hand-over';
import { laneRoutingKey, shopBrokerNames, shopExchange } from './topology';

/** A command of docs/shop-contract.asyncapi.yaml (`user.upsert`, `business.upsert`): a CloudEvent with a correlation id. */
export interface ShopCommand {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  correlationid: string;
  data: Record<string, unknown>;
}

export interface ShopCommandPublisherOptions {
  url: string;
  namePrefix?: string;
  /** publish attempts on a fresh channel before giving up (default 2); the calling activity retries beyond that */
  maxAttempts?: number;
  /** how long one publish may wait for a connection and the broker's confirm (default 10 s) */
  timeoutMs?: number;
}

export interface ShopCommandPublisher {
  /**
   * Resolves once the broker confirmed the command; throws ShopCommandNotConfirmedError otherwise. On the load lane
   * (default live) it is routed `load.<type>`, to the shop's load inbox.
   */
  publish(command: ShopCommand, lane?: Lane): Promise<void>;
  close(): Promise<void>;
}

/**
 * The broker did not confirm the command (no connection, refused, or no answer in time). Retryable: commands are
 * idempotent (the shop matches them to the record by shop id, CRM ids, then natural key), so a command that did get
 * through after all and is sent again links to the same record.
 */
export class ShopCommandNotConfirmedError extends TransientCrmError {}

const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/** Publishes commands to the shop's commands exchange, routed by lane and type, each with a publisher confirm. */
export function createShopCommandPublisher(options: ShopCommandPublisherOptions): ShopCommandPublisher {
  const names = shopBrokerNames(options.namePrefix);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const rabbit = new Connection({ url: options.url, connectionName: 'crm-sync-shop-commands', acquireTimeout: timeoutMs });
  // Reconnects by itself; a publish made meanwhile waits for it (up to timeoutMs) or fails with a retryable error.
  rabbit.on('error', () => undefined);
  const publisher = rabbit.createPublisher({ confirm: true, maxAttempts: options.maxAttempts ?? 2, exchanges: [shopExchange(names.commandsExchange)] });
  return {
    async publish(command, lane = 'live') {
      const sent = publisher.send(
        {
          exchange: names.commandsExchange,
          routingKey: laneRoutingKey(lane, command.type),
          durable: true,
          messageId: command.id,
          correlationId: command.correlationid,
          type: command.type,
          contentType: CLOUDEVENTS_JSON,
          contentEncoding: 'utf-8',
          timestamp: Math.floor(Date.parse(command.time) / 1000),
        },
        Buffer.from(JSON.stringify(command), 'utf8'),
      );
      // The client bounds waiting for a channel, not for the confirm itself: a broker that never answers must not
      // hold the activity until its own timeout.
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no confirm within ${timeoutMs} ms`)), timeoutMs);
      });
      sent.catch(() => undefined);
      try {
        await Promise.race([sent, expired]);
      } catch (error) {
        throw new ShopCommandNotConfirmedError(`shop command ${command.type} ${command.id} not confirmed by the broker: ${errorSummary(error)}`);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await publisher.close();
      await rabbit.close();
    },
  };
}
