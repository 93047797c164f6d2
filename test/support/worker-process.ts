import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT, TSX } from './child-process';
import { waitFor } from './wait-for';

/** `npm run worker` in a process of its own, so a test can kill it as a crash would: SIGKILL, no goodbye. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL to its process group; resolves once every process of the group is gone */
  kill(): Promise<void>;
}

export function startWorkerProcess(env: Record<string, string | undefined>): WorkerProcess {
  // Its own process group: tsx runs the worker in a child node process, and a crash takes both.
  const child = spawn(TSX, ['src/worker.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
      await waitFor(() => !groupAlive(group), 'every process of the worker to end', 10_000);
    },
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
