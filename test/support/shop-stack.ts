import { randomUUID } from 'node:crypto';
import { createShopSimulator, type ShopSimulator, type ShopSimulatorInput } from '../../src/sandbox/shop';
import { amqpUrl } from './amqp';
import { shopClient } from './shop-admin';
import { startTestStackWithAdmins, type TestStackOptions } from './stack';
import { waitForReady } from './wait-for';

/**
 * The whole product with the shop on: the shop simulator on the run's RabbitMQ, under a name prefix of its own (so
 * test files sharing the broker never see each other's messages), wired to the stack as `npm start` wires it.
 */
export async function startShopTestStack(options: TestStackOptions & { shopSim?: ShopSimulatorInput; amqpUrl?: string }) {
  const url = options.amqpUrl ?? amqpUrl();
  const namePrefix = `t-${randomUUID().slice(0, 8)}.`;
  const sim: ShopSimulator = await createShopSimulator({ port: 0, amqpUrl: url, namePrefix, ...options.shopSim });
  try {
    const started = await startTestStackWithAdmins({
      ...options,
      shop: () => ({ apiUrl: sim.url, apiKey: 'sandbox-shop-key', amqpUrl: url, namePrefix, activitiesPerSecond: 500, backOfficeUrl: undefined }),
    });
    await waitForReady(started.stack.apiUrl);
    return {
      ...started,
      shopSim: sim,
      shop: shopClient(sim.url),
      close: async () => {
        await started.stack.close();
        await sim.close();
      },
    };
  } catch (error) {
    await sim.close();
    throw error;
  }
}
