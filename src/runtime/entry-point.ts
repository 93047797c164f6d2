import { ConfigError } from '../config';

/**
 * Runs a process entry point: start(), then on SIGINT/SIGTERM the returned stop() (once). A bad configuration
 * prints what is wrong and exits 1 without a stack trace.
 */
export function runEntryPoint(name: string, start: () => Promise<() => Promise<void>>): void {
  start().then(
    (stop) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: ${signal} received, shutting down\n`);
        stop().then(
          () => {
            process.stderr.write(`${name}: stopped\n`);
            process.exit(0);
          },
          (error: unknown) => {
            process.stderr.write(`${name}: error while stopping: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    },
    (error: unknown) => {
      process.stderr.write(error instanceof ConfigError ? `${name}: ${error.message}\n` : `${name}: failed to start: ${String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
      process.exit(1);
    },
  );
}
