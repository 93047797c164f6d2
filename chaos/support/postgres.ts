import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/sandbox/common/free-port';

const run = promisify(execFile);

/** A private PostgreSQL cluster (as .ci/postgres.sh starts one) that can be crashed and started again on its data. */
export interface PrivateCluster {
  /** URL of the cluster's database for crm-sync's store */
  url: string;
  /** immediate shutdown: no checkpoint, open connections cut; the next start runs crash recovery */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** stops the cluster and removes its files */
  destroy(): Promise<void>;
}

/** Debian keeps server binaries per major version out of PATH: the newest, else whatever PATH has. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  try {
    const newest = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (newest) return join(root, newest, 'bin');
  } catch {
    // not Debian's layout
  }
  return '';
}

export async function startPrivateCluster(database = 'crm_sync'): Promise<PrivateCluster> {
  const bin = (name: string) => (binDir() ? join(binDir(), name) : name);
  const root = mkdtempSync(join(tmpdir(), 'crm-sync-chaos-pg-'));
  const dataDir = join(root, 'data');
  // PostgreSQL refuses to run as root: as root the cluster belongs to the postgres OS user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(root, ...(await postgresIds()));
  const asOwner = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  const port = await freePort();
  await asOwner(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  // fsync off: the cluster is disposable, and a crash here is the server's, not the disk's
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c fsync=off -c max_connections=100`;
  const start = async () => void (await asOwner(bin('pg_ctl'), ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-o', options, 'start']));
  const stop = async (mode: 'immediate' | 'fast') => void (await asOwner(bin('pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']));
  await start();
  await run(bin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-qc', `CREATE DATABASE ${database}`]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    crash: () => stop('immediate'),
    start,
    destroy: async () => {
      await stop('fast').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}
