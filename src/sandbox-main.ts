import { loadConfig } from './config';
import { hasParent, runChildEntryPoint } from './runtime/child-process';
import { runEntryPoint } from './runtime/entry-point';
import { startSandboxSystems, type SandboxReady } from './systems/sandbox-wiring';

/**
 * `npm run sandbox`: every system's simulator alone, as `npm start` runs them (the shop's with AMQP_URL's broker or a
 * private RabbitMQ node), seeded once, their data under DATA_DIR/sandbox, delivering events to the configured API URL.
 * A worker and an API started apart reach the shop's broker at the URL printed here (their AMQP_URL).
 *
 * `npm start` runs this same file as its child (startSandboxProcess): it then prints nothing and tells its parent
 * what it started, which prints the lines in its own banner.
 */
if (hasParent()) {
  runChildEntryPoint<SandboxReady>('sandbox', async () => {
    const { close, ...ready } = await startSandboxSystems(loadConfig());
    return { ready, stop: close };
  });
} else {
  runEntryPoint('sandbox', async () => {
    const sandbox = await startSandboxSystems(loadConfig());
    process.stdout.write(`${sandbox.lines.join('\n')}\nPress Ctrl-C to stop.\n`);
    return sandbox.close;
  });
}
