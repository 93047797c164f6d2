import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT, TSX } from './child-process';
import { namespaceFor } from './namespaces';
import { waitFor } from './wait-for';

/** An entry point of ours in a process group of its own, so a test can kill it as a crash would: SIGKILL, no goodbye. */
export interface GroupProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL to its process group; resolves once every process of the group is gone */
  kill(): Promise<void>;
}

export function startGroupProcess(script: string, env: Record<string, string | undefined>, args: readonly string[] = []): GroupProcess {
  // Its own process group: tsx runs the script in a child node process, and a crash takes both.
  const child = spawn(TSX, [script, ...args], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const group = child.pid ?? 0;
  return {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-group, 'SIGKILL');
        await exited;
      }
      await waitFor(() => !groupAlive(group), 'every process of the group to end', 10_000);
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
