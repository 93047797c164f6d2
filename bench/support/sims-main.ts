import { createHubspotSimulator } from '../../src/sandbox/hubspot';
import { createShopSimulator } from '../../src/sandbox/shop';
import { createZohoSimulator } from '../../src/sandbox/zoho';
import { runChildEntryPoint } from '../../src/runtime/child-process';
import { stopInReverse } from '../../src/runtime/stop-in-reverse';
import type { BenchSimsInput, BenchSimsReady } from './sims-process';

/**
 * The CRMs and the shop of one bench stack, in a process of their own: they stand for remote systems, so their work
 * must not share the worker's event loop or show in its CPU profile.
 */
runChildEntryPoint<BenchSimsReady>('bench-sims', async () => {
  const input = JSON.parse(process.env.BENCH_SIMS ?? '{}') as BenchSimsInput;
  const stops: (() => Promise<void>)[] = [];
  const stop = () => stopInReverse(stops);
  try {
    const hubspot = await createHubspotSimulator({ port: 0, ...input.hubspot });
    stops.push(() => hubspot.close());
    const zoho = await createZohoSimulator({ port: 0, ...input.zoho });
    stops.push(() => zoho.close());
    const shop = input.shop ? await createShopSimulator({ port: 0, ...input.shop }) : undefined;
    if (shop) stops.push(() => shop.close());
    return { ready: { hubspotUrl: hubspot.url, zohoUrl: zoho.url, shopUrl: shop?.url }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
});
