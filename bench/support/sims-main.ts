import { createHubspotSimulator } from '../../src/sandbox/hubspot';
import { createShopSimulator } from '../../src/sandbox/shop';
import { createZohoSimulator } from '../../src/sandbox/zoho';
import { runEntryPoint } from '../../src/runtime/entry-point';
import { stopInReverse } from '../../src/runtime/stop-in-reverse';
import { READY_PREFIX, type BenchSimsInput, type BenchSimsReady } from './sims-process';

/**
 * The CRMs and the shop of one bench stack, in a process of their own: they stand for remote systems, so their work
 * must not share the worker's event loop or show in its CPU profile.
 */
runEntryPoint('bench-sims', async () => {
  const input = JSON.parse(process.env.BENCH_SIMS ?? '{}') as BenchSimsInput;
  const stops: (() => Promise<void>)[] = [];
  try {
    const hubspot = await createHubspotSimulator({ port: 0, ...input.hubspot });
    stops.push(() => hubspot.close());
    const zoho = await createZohoSimulator({ port: 0, ...input.zoho });
    stops.push(() => zoho.close());
    const shop = input.shop ? await createShopSimulator({ port: 0, ...input.shop }) : undefined;
    if (shop) stops.push(() => shop.close());
    const ready: BenchSimsReady = { hubspotUrl: hubspot.url, zohoUrl: zoho.url, shopUrl: shop?.url };
    process.stdout.write(`${READY_PREFIX}${JSON.stringify(ready)}\n`);
  } catch (error) {
    await stopInReverse(stops);
    throw error;
  }
  return () => stopInReverse(stops);
});
