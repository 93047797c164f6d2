import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Temporal server release the cluster runs; docker-compose.yml names the same version of its images. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/** v1.32's go.mod asks for a newer toolchain than the one installed; the module proxy serves it. */
const GO_TOOLCHAIN = 'go1.27.3';
const MODULE = 'go.temporal.io/server';

export interface TemporalBinaries {
  /** temporal-server (cmd/server) */
  server: string;
  /** temporal-sql-tool (cmd/tools/sql): creates and migrates the schemas */
  sqlTool: string;
}

/** Where the binaries are kept between runs: CRM_SYNC_TEMPORAL_BIN, else under ~/.cache, one folder per version. */
export function temporalBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CRM_SYNC_TEMPORAL_BIN ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'crm-sync', `temporal-${TEMPORAL_SERVER_VERSION}`);
}

/**
 * The Temporal server and its SQL tool, built from the Go module proxy on first use (about 3 minutes on 2 cores) and
 * reused after. Niced, and outside CI single-threaded, so that it does not starve what else runs on the machine.
 */
export async function ensureTemporalBinaries(log: (line: string) => void): Promise<TemporalBinaries> {
  const dir = temporalBinDir();
  const binaries = { server: join(dir, 'server'), sqlTool: join(dir, 'sql') };
  if (existsSync(binaries.server) && existsSync(binaries.sqlTool)) return binaries;
  mkdirSync(dir, { recursive: true });
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} from the Go module proxy into ${dir} (a few minutes, once)`);
  const go = findGo();
  const packages = [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];
  // One compile at a time on a shared machine; CI has the machine to itself.
  const shared = process.env.CI ? {} : { GOMAXPROCS: process.env.GOMAXPROCS ?? '1', GOFLAGS: process.env.GOFLAGS ?? '-p=1' };
  const env = { ...process.env, ...shared, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: dir, CGO_ENABLED: '0' };
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', go, 'install', ...packages], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`go install of the Temporal server failed (exit ${String(code)}); see the output above`);
  return binaries;
}

/** `go` from PATH, else where the official tarball installs it. */
function findGo(): string {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/go/bin'];
  const found = dirs.map((dir) => join(dir, 'go')).find((path) => existsSync(path));
  if (!found) throw new Error('no Go toolchain: install Go (1.22 or newer; it fetches the toolchain Temporal needs) or put it on PATH');
  return found;
}
