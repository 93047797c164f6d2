import { loadConfig } from './config';
import { runEntryPoint } from './runtime/entry-point';
import { startSandboxSystems } from './systems/sandbox-wiring';

/**
 * `npm run sandbox`: every system's simulator alone, as `npm start` runs them (the shop's with AMQP_URL's broker or a
 * private RabbitMQ node), seeded once, their data under DATA_DIR/sandbox, delivering events to the configured API URL.
 * A worker and an API started apart reach the shop's broker at the URL printed here (their AMQP_URL).
 */
runEntryPoint('sandbox', async () => {
  const sandbox = await startSandboxSystems(loadConfig());
  process.stdout.write(`${sandbox.lines.join('\n')}\nPress Ctrl-C to stop.\n`);
  return sandbox.close;
});
