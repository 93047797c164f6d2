import { Router } from 'express';
import { ConfigError, type AppConfig, type ShopConfig } from '../../config';
import { createShopConnector, type ShopConnector } from '../../connectors/shop/connector';
import { COLLECTION, SHOP } from '../../connectors/shop/snapshot';
import type { SystemDefinition } from '../types';
import { createShopCommandPublisher, shopListener, type ShopCommandPublisher } from './broker';
import { shopCommandWrites } from './command-writes';
import { shopRecordUrl } from './record-url';

/** The shop's settings; asking for them while the shop is not configured is a wiring mistake (register it only then). */
export function shopConfigOf(config: AppConfig): ShopConfig {
  if (!config.shop) throw new ConfigError(['SHOP_API_URL: the shop is not configured, so it must not be registered']);
  return config.shop;
}

/** The company's shop: read over its HTTP API, written by commands and heard from over RabbitMQ. */
export const shop = {
  name: SHOP,
  label: 'Shop',
  objects: COLLECTION,
  // by email and domain only (unique in the shop); never by name
  canMatch: true,
  // business.upsert falls back to the domain, never to the name
  mergesCompaniesByName: false,
  writesByCommand: true,
  enabled: (config) => config.shop !== undefined,
  createConnector: ({ config, rules, observer }) => {
    const { apiUrl, apiKey, amqpUrl, namePrefix } = shopConfigOf(config);
    const connector = createShopConnector({ rules, apiUrl, apiKey, observer });
    // connected on the first command: most processes that build the connector (the API, the CLI) never send one
    let publisher: ShopCommandPublisher | undefined;
    const publisherOf = () => (publisher ??= createShopCommandPublisher({ url: amqpUrl, namePrefix }));
    return { ...connector, commands: shopCommandWrites(connector, rules, publisherOf), close: async () => publisher?.close() };
  },
  listen: (context) => {
    const { amqpUrl, namePrefix } = shopConfigOf(context.config);
    return shopListener({ ...context, url: amqpUrl, namePrefix });
  },
  activitiesPerSecond: (config) => shopConfigOf(config).activitiesPerSecond,
  // Its changes arrive on RabbitMQ, consumed by the worker, not over HTTP.
  ingress: () => Router(),
  recordUrl: (config, object, id) => shopRecordUrl(config.shop?.backOfficeUrl, object, id),
} satisfies SystemDefinition<ShopConnector>;
