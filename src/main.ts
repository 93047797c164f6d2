import type { Router } from 'express';
import { startApi } from './api';
import { dataPath, loadConfig, type AppConfig } from './config';
import { createLogger, type Logger } from './logger';
import { runEntryPoint } from './runtime/entry-point';
import { fetchSdkMetrics, installTemporalRuntime } from './runtime/temporal-runtime';
import { connectServices, openConfiguredStore } from './runtime/services';
import { startingPart, stopInReverse } from './runtime/stop-in-reverse';
import { createMailRoutes } from './sandbox/mail/mail-routes';
import { startMailSink } from './sandbox/mail/mail-sink';
import { ingressPath } from './ingress/ingress-path';
import { enabledSystems } from './systems/registry';
import { startSandboxProcess, type SandboxProcess } from './systems/sandbox-wiring';
import { createWorkerMetrics } from './worker/worker-metrics';
import { startDevServer, type DevServer } from './temporal/dev-server';
import { startWorker, taskQueuesOf } from './worker';

/**
 * `npm start`: everything on one machine. An embedded Temporal dev server (unless TEMPORAL_ADDRESS is set), the
 * systems' simulators in sandbox mode (in a process of their own, the shop's with a broker when there is one), the
 * worker and the API. Stops in reverse order on Ctrl-C; stops all of it if the simulators' process ends on its own.
 */
async function start(loaded: AppConfig, logger: Logger, fail: (reason: string) => void): Promise<() => Promise<void>> {
  let config = loaded;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = () => stopInReverse(stops);
  try {
    const lines: string[] = [];
    const apiRouters: Router[] = [];
    // The simulators' process and the Temporal dev server take seconds each and need nothing of each other: they
    // start at once. Their stops come first in the list, so they stop last, the simulators after Temporal.
    let sandbox: Promise<SandboxProcess> | undefined;
    if (config.sandbox && !config.sandboxServers.external) {
      const part = startingPart(startSandboxProcess(config, fail), (started) => started.close());
      stops.push(part.stop);
      sandbox = part.started;
    }
    // The store needs neither, and its first open (PGlite's initdb) takes seconds of this process's CPU while they boot
    // in processes of their own. Listed before the services that use it, it closes after them.
    const storePart = startingPart(openConfiguredStore(config), (store) => store.close());
    stops.push(storePart.stop);
    // TEMPORAL_ADDRESS, or the embedded dev server's start
    let temporal: string | Promise<DevServer>;
    if (config.temporal.address) {
      temporal = config.temporal.address;
    } else {
      const starting = startDevServer({
        cliPath: config.temporal.cliPath,
        port: config.temporal.port,
        uiPort: config.temporal.uiPort,
        dbFilename: dataPath(config, 'temporal.sqlite'),
        namespace: config.temporal.namespace,
        // The dev server's UI sends no Authorization header, so it gets the token in the path.
        uiCodecEndpoint: `${config.api.publicUrl}/codec/ui/${config.adminToken}`,
      });
      const part = startingPart(starting, (server) => server.stop());
      stops.push(part.stop);
      temporal = part.started;
    }

    if (sandbox) {
      const started = await sandbox;
      lines.push(...started.lines);
      // Whether the shop is on is known only now; the services, the worker and the API must all agree on it.
      config = started.config;
    } else if (config.sandbox) {
      lines.push(externalSimulatorsLine(config));
    }
    if (config.sandbox) {
      const mail = await startMailSink({ host: '127.0.0.1', port: config.sandboxServers.smtpPort, dir: dataPath(config, 'mail') });
      stops.push(() => mail.close());
      apiRouters.push(createMailRoutes(mail));
      lines.push(`Mail sink (SMTP)   ${mail.smtpUrl}   (failure reports: ${config.api.publicUrl}/_sim/mail)`);
    }

    let address: string;
    if (typeof temporal === 'string') {
      address = temporal;
      lines.push(`Temporal server    ${address}   (external)`);
    } else {
      const server = await temporal;
      address = server.address;
      lines.push(`Temporal server    ${address}   (state: ${dataPath(config, 'temporal.sqlite')})`);
      lines.push(`Temporal Web UI    ${server.uiUrl ?? '-'}`);
    }

    const systems = enabledSystems(config);
    const workerMetrics = createWorkerMetrics();
    const services = connectServices(config, systems, await storePart.started, workerMetrics.observer);
    stops.push(() => services.close());
    const worker = await startWorker(config, { logger, services, address });
    stops.push(worker.stop);
    lines.push(`Worker             task queues ${taskQueuesOf(systems).join(', ')}`);

    const sdkAddress = config.metrics.sdkAddress;
    const api = await startApi(config, {
      logger,
      address,
      systems,
      services,
      extraRouters: apiRouters,
      registries: [workerMetrics.registry],
      extraMetrics: sdkAddress ? [() => fetchSdkMetrics(sdkAddress)] : [],
    });
    stops.push(api.stop);
    // A system that listens on a broker takes nothing on its webhook path.
    const webhookSystems = systems.filter((system) => !system.listen);
    lines.push(`API                ${api.url}   (POST ${webhookSystems.map((system) => ingressPath(system.name)).join(', ')}; GET /healthz, /readyz)`);
    lines.push(`Admin token        ${config.sandbox ? `${config.adminToken} (GET /metrics, POST /codec/*: Authorization: Bearer …)` : 'from ADMIN_TOKEN'}`);

    process.stdout.write(`\ncrm-sync is running (${config.sandbox ? 'sandbox mode' : 'live mode'}):\n  ${lines.join('\n  ')}\nPress Ctrl-C to stop.\n\n`);
    return stopAll;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The simulators of `npm run sandbox`: where this process expects them, and whether the shop is synced (AMQP_URL). */
function externalSimulatorsLine(config: AppConfig): string {
  const shop = config.shop ? `, shop ${config.shop.apiUrl}` : ', shop off (set AMQP_URL to the broker `npm run sandbox` printed)';
  return `Simulators         external (npm run sandbox): HubSpot ${config.hubspot.basePath}, Zoho ${config.zoho.apiBaseUrl}${shop}`;
}

runEntryPoint('crm-sync', async (fail) => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  installTemporalRuntime(logger, config.metrics.sdkAddress);
  return start(config, logger, fail);
});
