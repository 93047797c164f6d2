import { fork } from 'node:child_process';
import { stopOnCrash } from './entry-point';

/**
 * A part of the product run in a node process of its own (the simulators, which stand for remote systems and must not
 * share the worker's event loop or CPU profile), started by a parent over an IPC channel:
 * - the child announces that it is ready with one message, and what it started;
 * - the parent stops it by closing the channel, after the parts that use it;
 * - a channel that closes because the parent died (even of SIGKILL) stops it too, so no orphan holds its ports.
 */

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningChild<Ready> {
  pid: number;
  ready: Ready;
  /** resolves when the child has ended, whoever ended it */
  exited: Promise<ChildExit>;
  /** closes the channel and waits for the child to stop (at once if it already has) */
  close: () => Promise<void>;
}

interface ReadyMessage<Ready> {
  ready: Ready;
}

export interface ChildOptions {
  /** for messages: "the simulators' process" */
  name: string;
  /** default: this process's */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Forks `script` (run by runChildEntryPoint) with this process's node options (tsx's loader under `npm start`);
 * resolves once it is ready. Its stdout and stderr are this process's. Rejects if it ends first or is not ready
 * within timeoutMs; the channel is then closed, so the child stops once its start settles (a SIGKILL would leave
 * what it started, a RabbitMQ node, running). The default outlasts the RabbitMQ node's own 60 s start timeout.
 */
export function startChildProcess<Ready>(script: string, { name, env, timeoutMs = 120_000 }: ChildOptions): Promise<RunningChild<Ready>> {
  const child = fork(script, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const close = async () => {
    if (child.connected) child.disconnect();
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.connected) child.disconnect();
      reject(new Error(`${name} (pid ${child.pid ?? '?'}) was not ready in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({ pid: child.pid ?? -1, ready: (message as ReadyMessage<Ready>).ready, exited, close });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${name} ended before it was ready (${describeExit(exit)})`));
    });
  });
}

/** "exit code 1" or "signal SIGKILL" */
export function describeExit(exit: ChildExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${String(exit.code)}`;
}

/** Whether this process was started by startChildProcess (it has an IPC channel to its parent). */
export function hasParent(): boolean {
  return process.send !== undefined;
}

/**
 * The child's side: start(), then the ready message; stop() once the parent closes the channel or dies. Ctrl-C
 * reaches the whole process group, this child included: it ignores SIGINT and lets the parent stop it after the
 * parts that use it. SIGTERM stops it at once (a SIGTERM to the parent reaches the parent alone, which then stops it
 * in order). A failed start prints why and exits 1; an exception nothing caught stops it and exits 1.
 */
export function runChildEntryPoint<Ready>(name: string, start: () => Promise<{ ready: Ready; stop: () => Promise<void> }>): void {
  let stopRequested = false;
  let exitCode = 0;
  let stopping: (() => Promise<void>) | undefined;
  const stopOnce = () => {
    if (!stopping) return;
    const stop = stopping;
    stopping = undefined;
    stop().then(
      () => process.exit(exitCode),
      (error: unknown) => {
        process.stderr.write(`${name}: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const requestStop = () => {
    stopRequested = true;
    stopOnce();
  };
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', requestStop);
  process.on('disconnect', requestStop);
  stopOnCrash(name, () => {
    exitCode = 1;
    requestStop();
  });
  start().then(
    ({ ready, stop }) => {
      stopping = stop;
      if (stopRequested) return stopOnce();
      const message: ReadyMessage<Ready> = { ready };
      if (process.connected) process.send?.(message);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: failed to start: ${String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
      process.exit(1);
    },
  );
}
