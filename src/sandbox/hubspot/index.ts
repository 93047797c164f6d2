import { listen } from '../common/http-server';
import { buildApp } from './app';
import { createContext } from './context';
import { resolveOptions, type HubspotSimulatorInput, type HubspotSimulatorOptions } from './options';
import { SnapshotWriter } from '../common/snapshot-writer';
import { loadSnapshot, snapshotBody } from './snapshot';

export type { HubspotSimulatorOptions, HubspotSimulatorInput, HubspotWebhookOptions, HubspotRateLimitOptions } from './options';
export type { HubspotEvent } from './webhook-events';
export { signatureV1, signatureV3 } from './webhooks';

export interface HubspotSimulator {
  /** Base URL to pass as the SDK's basePath, e.g. http://127.0.0.1:3101 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Where webhooks go from now on; null stops delivery (events are then dropped). */
  setWebhookTarget(url: string | null): void;
  /** The resolved options; mutating rateLimit/searchIndexDelayMs/webhook fields takes effect live. */
  options: HubspotSimulatorOptions;
}

/** Starts an in-memory HubSpot (CRM v3/v4, OAuth v1, webhooks) that @hubspot/api-client can talk to. */
export async function createHubspotSimulator(input: HubspotSimulatorInput = {}): Promise<HubspotSimulator> {
  const options = resolveOptions(input);
  const ctx = createContext(options);
  const file = options.snapshotFile;
  if (file) {
    await loadSnapshot(ctx, file);
    ctx.snapshots = new SnapshotWriter(file, () => snapshotBody(ctx), () => options.snapshotDelayMs);
  }
  const server = await listen(buildApp(ctx), options.host, options.port);
  let closed: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    options,
    setWebhookTarget(url) {
      options.webhook.targetUrl = url;
    },
    close() {
      closed ??= (async () => {
        await ctx.webhooks.close();
        await server.close();
        await ctx.snapshots?.flush();
      })();
      return closed;
    },
  };
}
