import { ConfigError } from '../config';

/**
 * Runs a process entry point: start(), then on SIGINT/SIGTERM the returned stop() (once). A bad configuration
 * prints what is wrong and exits 1 without a stack trace. start() may be handed `fail`, for a part that can end on
 * its own while the process runs (a child process): it stops the rest as a signal would, and exits 1.
 */
export function runEntryPoint(name: string, start: (fail: (reason: string) => void) => Promise<() => Promise<void>>): void {
  let stopping = false;
  let failure: string | undefined;
  let stopAndExit: ((why: string, code: number) => void) | undefined;
  const fail = (reason: string) => {
    failure ??= reason;
    stopAndExit?.(reason, 1);
  };
  start(fail).then(
    (stop) => {
      stopAndExit = (why, code) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`${name}: ${why}, shutting down\n`);
        stop().then(
          () => {
            process.stderr.write(`${name}: stopped\n`);
            process.exit(code);
          },
          (error: unknown) => {
            process.stderr.write(`${name}: error while stopping: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      const onSignal = (signal: NodeJS.Signals) => stopAndExit?.(`${signal} received`, 0);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      if (failure !== undefined) stopAndExit(failure, 1);
    },
    (error: unknown) => {
      process.stderr.write(error instanceof ConfigError ? `${name}: ${error.message}\n` : `${name}: failed to start: ${String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
      process.exit(1);
    },
  );
}
