import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../common/free-port';

export interface RabbitNodeOptions {
  /** Holds the node's data, logs and private Erlang cookie; created if missing. */
  dir: string;
  /** Short Erlang node name; unique per run so several runs on one machine never meet. */
  name: string;
  /** AMQP port; 0 or undefined picks a free one. */
  port?: number;
  startTimeoutMs?: number;
  /** PATH for the node's scripts (they call erl and friends); the caller reads its environment, this module does not. */
  path: string;
  /** where rabbitmq-server is; default: findRabbitmqBin's search */
  binDir?: string;
}

export interface RabbitNode {
  /** amqp://guest:guest@127.0.0.1:<port> (guest may only log in over loopback, which is all we use). */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Ends the node as a crash would (SIGKILL: no clean shutdown, nothing flushed); startRabbitNode on the same dir, name and port runs it again on its data. */
  crash(): Promise<void>;
}

/**
 * Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user when run as root, which would put the node's cookie
 * and files out of our reach; the scripts under /usr/lib/rabbitmq/bin run as the caller. Elsewhere (brew) the one on
 * PATH does.
 */
const DEBIAN_BIN = '/usr/lib/rabbitmq/bin';

/** The directory of rabbitmq-server: `binDir` when given, else Debian's, else the first on PATH; null if none has it. */
export function findRabbitmqBin(pathEnv: string, binDir?: string): string | null {
  if (binDir !== undefined) return existsSync(join(binDir, 'rabbitmq-server')) ? binDir : null;
  if (existsSync(join(DEBIAN_BIN, 'rabbitmq-server'))) return DEBIAN_BIN;
  const dir = pathEnv.split(':').find((entry) => entry !== '' && existsSync(join(entry, 'rabbitmq-server')));
  return dir ?? null;
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return pid > 0;
  } catch {
    return false;
  }
}

/** AMQP 0-9-1's protocol header: a broker answers it with a method frame (type 1, connection.start). */
const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

/**
 * Who listens on `port`: nobody yet, an AMQP broker, or something else. A bare TCP connect cannot tell: a port picked
 * free can be taken by another program (the Temporal dev server picks its metrics port the same way), and the shop's
 * AMQP client then reads that program's HTTP answer as a 1 GB frame and dies.
 */
function listenerOn(port: number): Promise<'none' | 'amqp' | 'other'> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(PROTOCOL_HEADER));
    const done = (answer: 'none' | 'amqp' | 'other') => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2000, () => done('other'));
    socket.once('data', (chunk: Buffer) => done(chunk[0] === 1 ? 'amqp' : 'other'));
    // a listener that closes without a word is a node still booting (or going): asked again
    socket.once('end', () => done('none'));
    socket.once('error', () => done('none'));
  });
}

/**
 * Starts a private RabbitMQ node: its own AMQP, distribution and epmd ports, its own data, logs, cookie (HOME) and no
 * plugins, so it never meets the distro's system-wide node or another run's. Ready once the AMQP listener answers the
 * protocol header: the listener opens last in the boot, and `rabbitmq-diagnostics ping` already answers before a boot
 * that then fails (for instance on a taken port).
 */
export async function startRabbitNode(options: RabbitNodeOptions): Promise<RabbitNode> {
  const bin = findRabbitmqBin(options.path, options.binDir);
  if (!bin) throw new Error('rabbitmq-server is not installed (Debian: apt-get install rabbitmq-server; macOS: brew install rabbitmq)');
  const home = join(options.dir, 'home');
  for (const sub of ['home', 'mnesia', 'log']) mkdirSync(join(options.dir, sub), { recursive: true });
  writeFileSync(join(options.dir, 'enabled_plugins'), '[].\n');
  const port = options.port || (await freePort());
  if ((await listenerOn(port)) !== 'none') throw new Error(`RabbitMQ node ${options.name}: AMQP port ${port}: address already in use`);
  const nodeName = `${options.name}@localhost`;
  const epmdPort = String(await freePort());
  const env = {
    PATH: options.path,
    HOME: home,
    ERL_EPMD_PORT: epmdPort,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(await freePort()),
    RABBITMQ_MNESIA_BASE: join(options.dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(options.dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(options.dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(options.dir, 'node.pid'),
    // Absent files: the node runs on defaults instead of reading the system-wide /etc/rabbitmq configuration.
    RABBITMQ_CONFIG_FILE: join(options.dir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(options.dir, 'advanced.config'),
  };
  // Ctrl-C reaches the whole process group, and rabbitmq-server would stop the node on it at once, under the clients
  // still closing their connections. Ignored on entry, SIGINT stays ignored in the script (a non-interactive shell
  // cannot trap it then) and in the VM: stop() ends the node, after its clients. A kill of the group still ends it.
  const child: ChildProcess = spawn('/bin/sh', ['-c', 'trap "" INT; exec "$0"', join(bin, 'rabbitmq-server')], { env, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));

  const releaseEpmd = () => {
    // The node started this epmd on its private port; nothing else uses it.
    spawnSync('epmd', ['-port', epmdPort, '-kill'], { env, stdio: 'ignore', timeout: 10_000 });
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      spawnSync(join(bin, 'rabbitmqctl'), ['-q', '-n', nodeName, 'stop'], { env, stdio: 'ignore', timeout: 30_000 });
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(killer);
    }
    releaseEpmd();
  };
  const crash = async (): Promise<void> => {
    // The script runs the Erlang VM in the background and waits on it: the VM (its pid in the pid file) is what dies.
    const vm = Number(readFileSync(env.RABBITMQ_PID_FILE, 'utf8').trim());
    if (vm > 0) sigkill(vm);
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await gone;
    }
    while (isAlive(vm)) await new Promise((resolve) => setTimeout(resolve, 50));
    releaseEpmd();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (let listener = await listenerOn(port); listener !== 'amqp'; listener = await listenerOn(port)) {
    if (listener === 'other') {
      await stop();
      throw new Error(`RabbitMQ node ${nodeName}: AMQP port ${port}: address already in use (taken by another program while the node booted)`);
    }
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`RabbitMQ node ${nodeName} did not start on port ${port}; see ${join(options.dir, 'log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url: `amqp://guest:guest@127.0.0.1:${port}`, port, stop, crash };
}
