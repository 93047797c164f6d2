import { extname, join } from 'node:path';
import { dataPath, withSandboxBroker, type AppConfig } from '../config';
import { ingressUrl } from '../ingress/ingress-path';
import { describeExit, startChildProcess } from '../runtime/child-process';
import { stopInReverse } from '../runtime/stop-in-reverse';
import { findRabbitmqBin, startRabbitNode } from '../sandbox/broker/rabbitmq-node';
import { createShopSimulator } from '../sandbox/shop';
import { startSandbox } from '../sandbox/start-sandbox';
import { hubspot } from './hubspot/definition';
import { shop } from './shop/definition';
import type { SystemDefinition } from './types';
import { zoho } from './zoho/definition';

/** What the simulators started, as their process tells `npm start` (no credentials: AMQP_URL's stay out of it). */
export interface SandboxReady {
  /** one line per simulator (and the broker) for `npm start`'s banner */
  lines: string[];
  /** undefined: the shop is off (no broker) */
  shopUrl: string | undefined;
  /** the private RabbitMQ node started for the shop (guest, loopback only); undefined with AMQP_URL or no shop */
  brokerUrl: string | undefined;
}

export interface SandboxSystems extends SandboxReady {
  close: () => Promise<void>;
}

export interface SandboxProcess {
  pid: number;
  /** the configuration to run with: the shop is on only when there is a broker for it */
  config: AppConfig;
  lines: string[];
  close: () => Promise<void>;
}

/** src/sandbox-main.ts, compiled or not as this module is. */
const SANDBOX_MAIN = join(__dirname, '..', `sandbox-main${extname(__filename)}`);

/**
 * `npm run sandbox` as a child process of `npm start`: the simulators stand for remote systems, so they get an event
 * loop and a CPU profile of their own. `onCrash` hears of it if they end before close().
 */
export async function startSandboxProcess(config: AppConfig, onCrash: (reason: string) => void): Promise<SandboxProcess> {
  const child = await startChildProcess<SandboxReady>(SANDBOX_MAIN, { name: "the simulators' process" });
  let closing = false;
  void child.exited.then((exit) => {
    if (!closing) onCrash(`the simulators' process (pid ${child.pid}) ended unexpectedly (${describeExit(exit)})`);
  });
  const { lines, brokerUrl } = child.ready;
  return {
    pid: child.pid,
    config: brokerUrl === undefined ? config : withSandboxBroker(config, brokerUrl),
    lines,
    close: () => {
      closing = true;
      return child.close();
    },
  };
}

/**
 * The node's data directory is named after it: a fixed name lets a restart find its quorum queues again. Its private
 * epmd keeps it apart from any other node of that name on the machine.
 */
const NODE_NAME = 'crmsync';

const SHOP_OFF =
  'off: no RabbitMQ. To sync the shop: sudo apt-get install rabbitmq-server (Debian/Ubuntu) or brew install rabbitmq (macOS), then npm start again; or set AMQP_URL';

/**
 * Sandbox mode's simulators, on the ports config gives them and wired to our ingress: the one place besides the
 * registry that names the systems, because each simulator is started its own way. The shop's needs a broker:
 * AMQP_URL's, else a private RabbitMQ node under DATA_DIR when rabbitmq-server is installed, else the shop stays off.
 */
export async function startSandboxSystems(config: AppConfig): Promise<SandboxSystems> {
  const stops: (() => Promise<void>)[] = [];
  const close = () => stopInReverse(stops);
  try {
    const sandbox = await startSandbox({
      hubspotPort: config.sandboxServers.hubspotPort,
      zohoPort: config.sandboxServers.zohoPort,
      webhookTarget: ingressUrl(config.api.publicUrl, hubspot.name),
      seed: { contacts: config.sandboxServers.seedContacts, companies: config.sandboxServers.seedCompanies },
      // The systems' data must survive a restart with the links and histories kept under DATA_DIR.
      snapshotDir: dataPath(config, 'sandbox'),
    });
    stops.push(sandbox.close);
    const lines = [simulatorLine(hubspot, sandbox.hubspotUrl), simulatorLine(zoho, sandbox.zohoUrl)];

    let amqpUrl = config.shop?.amqpUrl;
    let brokerUrl: string | undefined;
    const { path, rabbitmqBinDir } = config.sandboxServers;
    if (config.shop) {
      lines.push(`${'RabbitMQ'.padEnd(19)}${withoutCredentials(config.shop.amqpUrl)}   (AMQP_URL)`);
    } else if (findRabbitmqBin(path, rabbitmqBinDir)) {
      const dir = dataPath(config, 'rabbitmq');
      const node = await startRabbitNode({ dir, name: NODE_NAME, port: config.sandboxServers.amqpPort, path, binDir: rabbitmqBinDir });
      stops.push(() => node.stop());
      brokerUrl = node.url;
      amqpUrl = node.url;
      lines.push(`${'RabbitMQ'.padEnd(19)}${withoutCredentials(node.url)}   (private node; data and logs: ${dir})`);
    }
    if (amqpUrl === undefined) return { lines: [...lines, `${'Shop'.padEnd(19)}${SHOP_OFF}`], shopUrl: undefined, brokerUrl: undefined, close };

    const { namePrefix, apiKey } = config.sandboxServers.shop;
    // Its records must outlive a restart as the CRMs' do: the links kept under DATA_DIR name their ids.
    const snapshotFile = dataPath(config, 'sandbox', 'shop.json');
    const sim = await createShopSimulator({ port: config.sandboxServers.shopPort, amqpUrl, namePrefix, apiKey, snapshotFile });
    stops.push(() => sim.close());
    lines.push(simulatorLine(shop, sim.url));
    return { lines, shopUrl: sim.url, brokerUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** "HubSpot simulator  http://…   (admin: http://…/_sim/records/contacts)" */
function simulatorLine(system: SystemDefinition, url: string): string {
  return `${`${system.label} simulator`.padEnd(19)}${url}   (admin: ${url}/_sim/records/${system.objects.contact ?? ''})`;
}

/** A broker URL fit for the banner: AMQP_URL may carry a password. */
function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
