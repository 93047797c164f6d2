import { runEntryPoint } from '../../src/runtime/entry-point';
import { startDevServer } from '../../src/temporal/dev-server';
import { findTemporalCli } from '../../src/temporal/cli-binary';

/**
 * The Temporal dev server as `npm start` runs it (src/temporal/dev-server.ts), in a process of its own so that the
 * chaos suite can SIGKILL it (the CLI is this process's child, in the same process group) and start it again on the
 * same port and SQLite file. Prints READY_LINE once the frontend answers.
 * Usage: node --import tsx chaos/support/temporal-main.ts <port> <sqlite file>
 */
export const READY_LINE = 'temporal dev server ready';

if (require.main === module) {
  runEntryPoint('temporal', async () => {
    const [port, dbFilename] = process.argv.slice(2);
    if (!port || !dbFilename) throw new Error('usage: temporal-main.ts <port> <sqlite file>');
    const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH), port: Number(port), dbFilename });
    process.stdout.write(`${READY_LINE} on ${server.address}\n`);
    // the server is the CLI's process, not this one's: without a handle of its own Node would exit here
    const keepAlive = setInterval(() => undefined, 60_000);
    return async () => {
      clearInterval(keepAlive);
      await server.stop();
    };
  });
}
