import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { entryCommand, REPO_ROOT } from './child-process';
import { namespaceFor } from './namespaces';
import { waitFor } from './wait-for';

/** An entry point of ours in a process group of its own, so a test can kill it as a crash would: SIGKILL, no goodbye. */
export interface GroupProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL to its process group; resolves once every process of the group is gone */
  kill(): Promise<void>;
  /** SIGTERM to its process group, an orderly stop; SIGKILL after timeoutMs. Resolves with whether it ended in time. */
  stop(timeoutMs: number): Promise<boolean>;
  /** whether its leader is still running */
  running(): boolean;
}

/** An entry point of ours (a script run as package.json runs them, with `args`) in a process group of its own. */
export function startGroupProcess(script: string, env: Record<string, string | undefined>, args: readonly string[] = [], options: GroupOptions = {}): GroupProcess {
  return startGroup(...entryCommand(script, args), env, options);
}

export interface GroupOptions {
  /** append the output to this file (a long-running process) instead of keeping it in memory */
  logFile?: string;
}

/** Any program in a process group of its own, so that a SIGKILL to the group is a crash of all it started. */
export function startGroup(command: string, args: string[], env: Record<string, string | undefined>, options: GroupOptions = {}): GroupProcess {
  const { logFile } = options;
  const logFd = logFile ? openSync(logFile, 'a') : undefined;
  const stdio = logFd === undefined ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', logFd, logFd] as const);
  const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: [...stdio] });
  if (logFd !== undefined) closeSync(logFd);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const group = child.pid ?? 0;
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async () => {
    if (running()) {
      process.kill(-group, 'SIGKILL');
      await exited;
    }
    await waitFor(() => !groupAlive(group), 'every process of the group to end', 10_000);
  };
  return {
    child,
    output: () => (logFile ? readFileSync(logFile, 'utf8') : output),
    kill,
    running,
    async stop(timeoutMs) {
      if (running()) process.kill(-group, 'SIGTERM');
      const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
      const ended = await Promise.race([exited.then(() => true), timeout]);
      await kill();
      return ended;
    },
  };
}

/** `npm run worker` in a process of its own. */
export function startWorkerProcess(env: Record<string, string | undefined>): GroupProcess {
  return startGroupProcess('src/worker.ts', env);
}

/**
 * What a worker (and the API beside it) in a process of its own needs to run against the test run's Temporal server
 * and the given simulators, in the test file's namespace; a test adds its own settings on top.
 */
export function childStackEnv(options: { testFile: string; dataDir: string; apiPort: number; workerMetricsPort: number; hubspotUrl: string; zohoUrl: string }): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    CRM_SANDBOX: 'true',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_NAMESPACE: namespaceFor(options.testFile),
    TEMPORAL_SDK_METRICS_ADDRESS: '',
    WORKER_METRICS_PORT: String(options.workerMetricsPort),
    API_PORT: String(options.apiPort),
    PUBLIC_URL: `http://127.0.0.1:${options.apiPort}`,
    HUBSPOT_BASE_URL: options.hubspotUrl,
    ZOHO_API_BASE_URL: options.zohoUrl,
    ZOHO_ACCOUNTS_URL: options.zohoUrl,
    SYNC_COALESCE_MS: '50',
  };
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}
