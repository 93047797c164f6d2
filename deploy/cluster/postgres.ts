import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The cluster's PostgreSQL: Temporal's two databases and crm-sync's store, as in docker-compose.yml. */
export interface Postgres {
  port: number;
  user: string;
  password: string;
  /** a URL for `database` on it */
  url(database: string): string;
  /** runs SQL as the cluster's superuser */
  sql(database: string, statement: string): Promise<string>;
  start(): Promise<void>;
  /** an immediate shutdown: no checkpoint, crash recovery at the next start, as after a power cut */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private PostgreSQL cluster under `dir` on `port` (created on first use, kept after), password authentication over
 * TCP as in a deployment. PostgreSQL refuses to run as root: as root it runs as the postgres OS user (.ci/postgres.sh
 * does the same).
 */
export async function preparePostgres(options: { dir: string; port: number; password: string; log: (line: string) => void }): Promise<Postgres> {
  const bin = findPostgresBin();
  const user = 'temporal';
  const data = join(options.dir, 'data');
  const asOwner = (command: string, args: string[]) =>
    process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args);
  if (!existsSync(data)) {
    mkdirSync(options.dir, { recursive: true });
    const pwfile = join(options.dir, 'initdb-password');
    writeFileSync(pwfile, options.password, { mode: 0o600 });
    if (process.getuid?.() === 0) {
      for (const path of [options.dir, pwfile]) chownOwner(path);
      // the postgres user must reach its folder through the cluster's, which may be private (mkdtemp's 0700)
      chmodSync(dirname(options.dir), 0o711);
    }
    await asOwner('initdb', ['-D', data, '-U', user, '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale']);
    rmSync(pwfile);
    options.log(`PostgreSQL cluster created in ${data}`);
  }
  const pgCtl = (args: string[]) => asOwner('pg_ctl', ['-D', data, ...args]);
  const env = { ...process.env, PGPASSWORD: options.password };
  return {
    port: options.port,
    user,
    password: options.password,
    url: (database) => `postgres://${user}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`,
    async sql(database, statement) {
      const { stdout } = await run(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(options.port), '-U', user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', statement], { env });
      return stdout.trim();
    },
    async start() {
      // the socket in the cluster's own folder: /var/run/postgresql may not exist, and is shared
      const serverOptions = `-p ${options.port} -c listen_addresses=127.0.0.1 -k ${options.dir} -c max_connections=200`;
      await pgCtl(['-l', join(options.dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
    },
    async crash() {
      await pgCtl(['-m', 'immediate', '-w', 'stop']);
    },
    async stop() {
      await pgCtl(['-m', 'fast', '-w', 'stop']);
    },
  };
}

function chownOwner(dir: string): void {
  const id = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  chownSync(dir, id('-u'), id('-g'));
}

/** Debian keeps the server binaries out of PATH, one folder per major version: the newest, else PATH's. */
function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [...versions.map((version) => join(root, version, 'bin')), ...(process.env.PATH ?? '').split(':').filter(Boolean)];
  const found = candidates.find((dir) => existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL not found: install it (Debian: apt-get install postgresql), or run .ci/postgres.sh once, which does');
  return found;
}
