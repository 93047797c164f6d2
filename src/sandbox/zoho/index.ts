import { listen } from '../common/http-server';
import { buildZohoApp } from './app';
import { type ZohoSimulatorOptions, resolveOptions } from './options';
import { loadSnapshot } from './snapshot';

export type { ZohoSimulatorOptions, SimLogger } from './options';
export { DEFAULT_ZOHO_OPTIONS } from './options';
export type { ZohoCallback } from './notifier';

export interface ZohoSimulator {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:3102; the CRM API is under /crm/v8, tokens at /oauth/v2/token. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Resolved options; most knobs (delays, limits, error shapes) are read live and may be changed. */
  options: ZohoSimulatorOptions;
}

/** Starts an in-memory Zoho CRM v8 (records, search, COQL, watch, OAuth) plus /_sim admin routes. */
export async function createZohoSimulator(input: Partial<ZohoSimulatorOptions> = {}): Promise<ZohoSimulator> {
  const options = resolveOptions(input);
  const runtime = buildZohoApp(options);
  if (options.snapshotFile) await loadSnapshot(runtime.ctx.data, runtime.channels, options.snapshotFile);
  const server = await listen(runtime.app, options.host, options.port);
  runtime.setOwnUrl(server.url);
  let closing: Promise<void> | null = null;
  return {
    url: server.url,
    port: server.port,
    options,
    close() {
      closing ??= (async () => {
        await runtime.notifier.close();
        await server.close();
        await runtime.snapshots?.flush();
      })();
      return closing;
    },
  };
}
