import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRabbitmqBin, startRabbitNode, type RabbitNode } from '../../src/sandbox/broker/rabbitmq-node';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import globalTeardown from './global-teardown';
import { allTestNamespaces } from './namespaces';
import { TEST_STATE_DIR } from './paths';
import { testWorkflowBundle } from './workflow-bundle';

/**
 * A broker for the run: AMQP_URL when given (an outside broker), else one private node when rabbitmq-server is installed.
 * Without either, AMQP_URL stays unset and the tests that need a broker fail saying how to get one (test/support/amqp.ts).
 */
async function startBroker(): Promise<RabbitNode | undefined> {
  const path = process.env.PATH ?? '';
  if (process.env.AMQP_URL || !findRabbitmqBin(path)) return undefined;
  const node = await startRabbitNode({ dir: join(TEST_STATE_DIR, `rabbitmq-${process.pid}`), name: `crmsync-test-${process.pid}`, path });
  process.env.AMQP_URL = node.url;
  return node;
}

/** One real Temporal dev server, one RabbitMQ node and one workflow bundle for the whole test run. */
export default async function globalSetup(): Promise<void> {
  mkdirSync(TEST_STATE_DIR, { recursive: true });
  // Started side by side: each takes seconds to boot (the bundle when the sources changed since the last run).
  const started = await Promise.allSettled([
    startDevServer({
      cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH),
      extraNamespaces: allTestNamespaces(join(__dirname, '..')),
    }),
    startBroker(),
    testWorkflowBundle(),
  ] as const);
  const [server, broker, bundle] = started;
  const state = globalThis as { __temporalServer?: DevServer; __rabbitNode?: RabbitNode };
  state.__temporalServer = server.status === 'fulfilled' ? server.value : undefined;
  state.__rabbitNode = broker.status === 'fulfilled' ? broker.value : undefined;
  if (server.status === 'rejected' || broker.status === 'rejected' || bundle.status === 'rejected') {
    // jest runs no global teardown after a failed setup: what did start is stopped here, or it outlives the run
    await globalTeardown();
    throw started.flatMap((part) => (part.status === 'rejected' ? [part.reason as unknown] : []))[0];
  }
  process.env.TEST_WORKFLOW_BUNDLE = bundle.value.codePath;
  process.env.TEMPORAL_TEST_ADDRESS = server.value.address;
}
