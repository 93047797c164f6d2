import { startApi } from './api';
import { dataPath, loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';
import { runEntryPoint } from './runtime/entry-point';
import { openServices } from './runtime/services';
import { startSandbox } from './sandbox/start-sandbox';
import { startDevServer } from './temporal/dev-server';
import { startWorker } from './worker';

/**
 * `npm start`: everything on one machine. An embedded Temporal dev server (unless TEMPORAL_ADDRESS is set), the CRM
 * simulators in sandbox mode, the worker and the API. Stops in reverse order on Ctrl-C.
 */
async function start(config: AppConfig, logger: Logger): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const lines: string[] = [];
    if (config.sandbox) {
      const sandbox = await startSandbox({
        hubspotPort: config.sandboxServers.hubspotPort,
        zohoPort: config.sandboxServers.zohoPort,
        webhookTarget: `${config.api.publicUrl}/webhooks/hubspot`,
        seed: { contacts: config.sandboxServers.seedContacts, companies: config.sandboxServers.seedCompanies },
      });
      stops.push(sandbox.close);
      lines.push(`HubSpot simulator  ${sandbox.hubspotUrl}   (admin: ${sandbox.hubspotUrl}/_sim/records/contacts)`);
      lines.push(`Zoho simulator     ${sandbox.zohoUrl}   (admin: ${sandbox.zohoUrl}/_sim/records/Contacts)`);
    }

    let address = config.temporal.address;
    if (!address) {
      const server = await startDevServer({
        cliPath: config.temporal.cliPath,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        dbFilename: dataPath(config, 'temporal.sqlite'),
        namespace: config.temporal.namespace,
      });
      stops.push(server.stop);
      address = server.address;
      lines.push(`Temporal server    ${address}   (state: ${dataPath(config, 'temporal.sqlite')})`);
      lines.push(`Temporal Web UI    ${server.uiUrl ?? '-'}`);
    } else {
      lines.push(`Temporal server    ${address}   (external)`);
    }

    const services = await openServices(config);
    stops.push(() => services.close());
    const worker = await startWorker(config, { logger, services, address });
    stops.push(worker.stop);
    lines.push(`Worker             task queues crm-sync, crm-hubspot, crm-zoho`);

    const api = await startApi(config, { logger, address });
    stops.push(api.stop);
    lines.push(`API                ${api.url}   (POST /webhooks/hubspot, /webhooks/zoho; GET /healthz, /readyz)`);

    process.stdout.write(`\ncrm-sync is running (${config.sandbox ? 'sandbox mode' : 'live mode'}):\n  ${lines.join('\n  ')}\nPress Ctrl-C to stop.\n\n`);
    return stopAll;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

runEntryPoint('crm-sync', async () => {
  const config = loadConfig();
  return start(config, createLogger(config.logLevel));
});
