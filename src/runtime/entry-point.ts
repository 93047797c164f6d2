import { ConfigError } from '../config';

/**
 * Runs a process entry point: start(), then on SIGINT/SIGTERM the returned stop() (once). A bad configuration
 * prints what is wrong and exits 1 without a stack trace. start() may be handed `fail`, for a part that can end on
 * its own while the process runs (a child process): it stops the rest as a signal would, and exits 1; so does an
 * exception nothing caught.
 */
export function runEntryPoint(name: string, start: (fail: (reason: string) => void) => Promise<() => Promise<void>>): void {
  let stopping = false;
  let failure: string | undefined;
  let stopAndExit: ((why: string, code: number) => void) | undefined;
  const fail = (reason: string) => {
    failure ??= reason;
    stopAndExit?.(reason, 1);
  };
  stopOnCrash(name, fail);
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

/** Long enough for a worker to finish its activities' shutdown and a RabbitMQ node to stop. */
const CRASH_STOP_DEADLINE_MS = 60_000;

/**
 * After an exception nothing caught (a client library's throw in a socket callback) the process cannot go on, but
 * what it started must not outlive it: a private RabbitMQ node or a dev server would keep their ports and data
 * directories. `stop` stops those parts and exits 1; the deadline exits anyway if stopping hangs.
 */
export function stopOnCrash(name: string, stop: (why: string) => void): void {
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${name}: uncaught exception: ${error.stack ?? String(error)}\n`);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), CRASH_STOP_DEADLINE_MS);
    stop('uncaught exception');
  });
}
