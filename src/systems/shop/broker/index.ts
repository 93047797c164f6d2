/** The shop's RabbitMQ side (docs/shop-contract.asyncapi.yaml), for src/systems/shop/definition.ts. */
export { shopListener, type ShopListenerOptions } from './listener';
export { createShopCommandPublisher, ShopCommandNotConfirmedError, type ShopCommand, type ShopCommandPublisher, type ShopCommandPublisherOptions } from './publisher';
export { shopBrokerNames, type ShopBrokerNames } from './topology';
export { REASON_HEADER } from './dead-letter';
export type { Backoff } from './hand-over';
