import type { Lane } from '../../../domain/lane';

/**
 * The RabbitMQ names and arguments docs/shop-contract.asyncapi.yaml fixes. Everyone who uses an exchange or a queue
 * declares it with the same arguments (a mismatch closes the channel with PRECONDITION_FAILED), so they live here once.
 */
export interface ShopBrokerNames {
  eventsExchange: string;
  commandsExchange: string;
  repliesExchange: string;
  eventsQueue: string;
  repliesQueue: string;
  /** initial-load traffic: the shop's events about changes made by load commands, and its replies to them */
  loadEventsQueue: string;
  loadRepliesQueue: string;
  deadLetterExchange: string;
  deadLetterQueue: string;
}

/** `namePrefix` is prepended to every name, like the simulator's, so several deployments or tests share one broker. */
export function shopBrokerNames(namePrefix = ''): ShopBrokerNames {
  return {
    eventsExchange: `${namePrefix}shop.events`,
    commandsExchange: `${namePrefix}shop.commands`,
    repliesExchange: `${namePrefix}shop.replies`,
    eventsQueue: `${namePrefix}crm-sync.shop.events`,
    repliesQueue: `${namePrefix}crm-sync.shop.replies`,
    loadEventsQueue: `${namePrefix}crm-sync.shop.load-events`,
    loadRepliesQueue: `${namePrefix}crm-sync.shop.load-replies`,
    deadLetterExchange: `${namePrefix}crm-sync.shop.dead-letter`,
    deadLetterQueue: `${namePrefix}crm-sync.shop.dead-letter`,
  };
}

/**
 * Routing keys by lane. A live key is the message type (`user.upsert`, `user.linked`, `user.created`); a load key is
 * the same type under `load.`, with the body's `type` unchanged. Live queues bind one word per part (`user.*`), which
 * a three-word `load.user.created` never matches; `#` would match both lanes.
 */
export function laneRoutingKey(lane: Lane, type: string): string {
  return lane === 'load' ? `load.${type}` : type;
}

const EVENT_ENTITIES = ['user', 'business', 'purchase'] as const;
const COMMAND_ENTITIES = ['user', 'business'] as const;

export function eventBindingKeys(lane: Lane): string[] {
  return EVENT_ENTITIES.map((entity) => laneRoutingKey(lane, `${entity}.*`));
}

export function replyBindingKeys(lane: Lane): string[] {
  return COMMAND_ENTITIES.map((entity) => laneRoutingKey(lane, `${entity}.*`));
}

/** What the live queues were bound with before lanes: removed at start, or load traffic would reach them too. */
export const CATCH_ALL_BINDING = '#';

/** The shop's exchanges are its own; declaring them the way the shop does is a no-op that lets us start first. */
export function shopExchange(exchange: string) {
  return { exchange, type: 'topic', durable: true } as const;
}

export function deadLetterExchange(names: ShopBrokerNames) {
  return { exchange: names.deadLetterExchange, type: 'fanout', durable: true } as const;
}

/**
 * Our consumed queues. Quorum queues replicate and count deliveries; 3.10 has no default delivery limit, so a message
 * that keeps failing would loop for ever without an explicit one. Past the limit the broker dead-letters it, at least
 * once: that needs the at-least-once strategy, which in turn needs reject-publish overflow.
 */
export function consumedQueueOptions(names: ShopBrokerNames, deliveryLimit: number) {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  } as const;
}

/** The dead-letter queue is where messages wait for a person: nothing consumes it, and it dead-letters nowhere. */
export function deadLetterQueueOptions() {
  return { durable: true, arguments: { 'x-queue-type': 'quorum' } } as const;
}
