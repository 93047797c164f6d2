import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHubspotSimulator } from './hubspot';
import { createZohoSimulator } from './zoho';

export interface SandboxOptions {
  hubspotPort: number;
  zohoPort: number;
  /** where the HubSpot simulator delivers webhooks; null delivers nowhere */
  webhookTarget: string | null;
  seed?: { contacts: number; companies: number; seed?: number };
  host?: string;
  /** keep both CRMs' data here across restarts (loaded at start, saved on close); seeding happens only once */
  snapshotDir?: string;
}

export interface Sandbox {
  hubspotUrl: string;
  zohoUrl: string;
  close: () => Promise<void>;
}

/** Both CRM simulators, seeded through their own admin routes (seeding fires no webhooks). */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const snapshot = (name: string) => (options.snapshotDir ? join(options.snapshotDir, `${name}.json`) : undefined);
  const files = { hubspot: snapshot('hubspot'), zoho: snapshot('zoho') };
  if (options.snapshotDir) mkdirSync(options.snapshotDir, { recursive: true });
  // Seeding again on top of restored data would duplicate the samples; the links we keep would not match them.
  const restored = Object.values(files).some((file) => file !== undefined && existsSync(file));
  const hubspot = await createHubspotSimulator({ host, port: options.hubspotPort, webhook: { targetUrl: options.webhookTarget }, snapshotFile: files.hubspot });
  const zoho = await createZohoSimulator({ host, port: options.zohoPort, snapshotFile: files.zoho });
  try {
    if (options.seed && !restored) {
      const body = JSON.stringify({ seed: 1, ...options.seed });
      for (const url of [hubspot.url, zoho.url]) {
        const response = await fetch(`${url}/_sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (!response.ok) throw new Error(`seeding ${url} failed with HTTP ${response.status}`);
      }
    }
  } catch (error) {
    await Promise.all([hubspot.close(), zoho.close()]);
    throw error;
  }
  return {
    hubspotUrl: hubspot.url,
    zohoUrl: zoho.url,
    close: async () => {
      await Promise.all([hubspot.close(), zoho.close()]);
    },
  };
}
