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
    deadLetterExchange: `${namePrefix}crm-sync.shop.dead-letter`,
    deadLetterQueue: `${namePrefix}crm-sync.shop.dead-letter`,
  };
}

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
