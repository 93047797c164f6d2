import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { REPO_ROOT, runProcess } from './child-process';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** `npm start` as a user runs it: its own process group, so Ctrl-C (SIGINT to the group) reaches every process. */
export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<AppExit>;
  /** waits for a line of output, failing early (with the output) if the process ends first */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  /** every process of the group now: the npm, tsx and node processes and the Temporal dev server */
  processTree(): Promise<number[]>;
  /** the process of the group that listens on a TCP port (Linux /proc), or undefined */
  listener(port: number): Promise<number | undefined>;
  /** Ctrl-C; resolves with how npm ended, or null if it did not end in time */
  interrupt(timeoutMs: number): Promise<AppExit | null>;
  /** last resort for a failed test: SIGKILL to the whole group */
  kill(): void;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const OUTPUT_DRAIN_MS = 2000;

function startApp(env: Record<string, string | undefined>): AppProcess {
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let ended: AppExit | undefined;
  // 'exit' can come before the last of the process's output is read (its "stopped" line, say): the exit counts once
  // both streams have closed, or a little later, should a process it started still hold them open.
  const closed = (stream: NodeJS.ReadableStream | null) => new Promise<void>((resolve) => (stream ? stream.once('close', () => resolve()) : resolve()));
  const drained = Promise.all([closed(child.stdout), closed(child.stderr)]);
  const exited = new Promise<AppExit>((resolve) => {
    child.once('exit', (code, signal) => {
      void Promise.race([drained, new Promise((r) => setTimeout(r, OUTPUT_DRAIN_MS).unref())]).then(() => {
        ended = { code, signal };
        resolve(ended);
      });
    });
  });
  const pid = child.pid ?? -1;
  return {
    child,
    output: () => output,
    exited,
    async waitForOutput(text, timeoutMs) {
      // An ended process ends the wait at once (a thrown error would only be retried until the timeout).
      await waitFor(() => output.includes(text) || ended !== undefined, `"${text}" from npm start`, timeoutMs, 200).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- output ---\n${output}`);
      });
      if (!output.includes(text)) throw new Error(`npm start ended (${JSON.stringify(ended)}) before "${text}":\n${output}`);
    },
    async processTree() {
      const listing = await runProcess('ps', ['-eo', 'pid=,pgid='], { PATH: process.env.PATH });
      return listing.stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/).map(Number))
        .filter(([, group]) => group === pid)
        .map(([member]) => member ?? -1);
    },
    async listener(port) {
      const sockets = listeningSockets(port);
      return (await this.processTree()).find((member) => socketsOf(member).some((inode) => sockets.has(inode)));
    },
    async interrupt(timeoutMs) {
      if (ended) return ended;
      process.kill(-pid, 'SIGINT');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timeout]);
      return result === 'timeout' ? null : result;
    },
    kill() {
      if (ended) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** The inodes of the TCP sockets listening on `port` (any address, IPv4 or IPv6). */
function listeningSockets(port: number): Set<string> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const LISTEN = '0A';
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local?.endsWith(suffix) && state === LISTEN && inode) inodes.add(inode);
    }
  }
  return inodes;
}

/** The inodes of the sockets a process holds open; none once it is gone. */
function socketsOf(pid: number): string[] {
  try {
    const dir = `/proc/${pid}/fd`;
    return readdirSync(dir).flatMap((fd) => {
      try {
        return /^socket:\[(\d+)\]$/.exec(readlinkSync(`${dir}/${fd}`))?.slice(1) ?? [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** The processes among `pids` that are still alive. */
export function alive(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

const APP_PORTS = ['API_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'SANDBOX_HUBSPOT_PORT', 'SANDBOX_ZOHO_PORT', 'SANDBOX_SHOP_PORT', 'SANDBOX_AMQP_PORT', 'SANDBOX_SMTP_PORT'] as const;
export type AppPort = (typeof APP_PORTS)[number];

/** The environment of an `npm start` on free ports with its state under `dataDir`, and those ports. */
async function appEnvironment(dataDir: string, extra: Record<string, string>): Promise<{ env: Record<string, string | undefined>; ports: Record<AppPort, number> }> {
  const ports = {} as Record<AppPort, number>;
  for (const name of APP_PORTS) ports[name] = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    // its default (9464) is one fixed port: two test files starting npm start at once would take it from each other
    TEMPORAL_SDK_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    ...extra,
  };
  return { env, ports };
}

/**
 * `npm start` on free ports, up and ready to use. A port handed out free can be taken by another process before the
 * app binds it (test files run in parallel): the app then fails to start, and starts again on other ports.
 */
export async function startAppOnFreePorts(
  dataDir: string,
  extra: Record<string, string>,
  attempts = 3,
): Promise<{ app: AppProcess; env: Record<string, string | undefined>; ports: Record<AppPort, number> }> {
  for (let attempt = 1; ; attempt++) {
    const { env, ports } = await appEnvironment(dataDir, extra);
    const app = startApp(env);
    try {
      await app.waitForOutput('Press Ctrl-C to stop.', 120_000);
      return { app, env, ports };
    } catch (error) {
      app.kill();
      // a port picked free was taken before the app bound it (Node says "address already in use", the SDK's Rust
      // metrics exporter "Address already in use"): pick others
      if (attempt >= attempts || !/address already in use/i.test(app.output())) throw error;
    }
  }
}
