import { dataPath, loadConfig } from './config';
import { runEntryPoint } from './runtime/entry-point';
import { startSandbox } from './sandbox/start-sandbox';

/** `npm run sandbox`: both simulators alone, seeded once, their data under DATA_DIR/sandbox, delivering HubSpot webhooks to the configured API URL. */
runEntryPoint('sandbox', async () => {
  const config = loadConfig();
  const sandbox = await startSandbox({
    hubspotPort: config.sandboxServers.hubspotPort,
    zohoPort: config.sandboxServers.zohoPort,
    webhookTarget: `${config.api.publicUrl}/webhooks/hubspot`,
    seed: { contacts: config.sandboxServers.seedContacts, companies: config.sandboxServers.seedCompanies },
    // Where `npm start` keeps them too, so the simulators in a process of their own also survive a restart.
    snapshotDir: dataPath(config, 'sandbox'),
  });
  process.stdout.write(`HubSpot simulator ${sandbox.hubspotUrl}\nZoho simulator    ${sandbox.zohoUrl}\nPress Ctrl-C to stop.\n`);
  return sandbox.close;
});
