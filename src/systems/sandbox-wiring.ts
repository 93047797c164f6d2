import { dataPath, type AppConfig } from '../config';
import { ingressUrl } from '../ingress/ingress-path';
import { startSandbox } from '../sandbox/start-sandbox';
import { hubspot } from './hubspot/definition';
import type { SystemDefinition } from './types';
import { zoho } from './zoho/definition';

export interface SandboxSystems {
  /** one line per simulator for `npm start`'s banner */
  lines: string[];
  close: () => Promise<void>;
}

/**
 * Sandbox mode's simulators, on the ports config gives them and wired to our ingress: the one place besides the
 * registry that names the systems, because each simulator is started its own way.
 */
export async function startSandboxSystems(config: AppConfig): Promise<SandboxSystems> {
  const sandbox = await startSandbox({
    hubspotPort: config.sandboxServers.hubspotPort,
    zohoPort: config.sandboxServers.zohoPort,
    webhookTarget: ingressUrl(config.api.publicUrl, hubspot.name),
    seed: { contacts: config.sandboxServers.seedContacts, companies: config.sandboxServers.seedCompanies },
    // The systems' data must survive a restart with the links and histories kept under DATA_DIR.
    snapshotDir: dataPath(config, 'sandbox'),
  });
  return { lines: [simulatorLine(hubspot, sandbox.hubspotUrl), simulatorLine(zoho, sandbox.zohoUrl)], close: sandbox.close };
}

/** "HubSpot simulator  http://…   (admin: http://…/_sim/records/contacts)" */
function simulatorLine(system: SystemDefinition, url: string): string {
  return `${`${system.label} simulator`.padEnd(19)}${url}   (admin: ${url}/_sim/records/${system.objects.contact ?? ''})`;
}
