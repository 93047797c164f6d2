import { bundleWorkflowCode } from '@temporalio/worker';
import type { Logger as SdkLogger } from '@temporalio/common';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONVERTER_PATHS } from '../codec/data-converter';
import type { Logger } from '../logger';

export interface WorkflowBundleOptions {
  /** the folder of cached bundles (workflowBundleDir) */
  dir: string;
  logger: Logger;
  /** the workflows' module; the default is ours (tests bundle small workflows of their own) */
  workflowsPath?: string;
  /** every source file under it is hashed into the key; the default is the folder holding src/workflows (src/, or lib/src/ once compiled) */
  sourceRoot?: string;
}

export type CachedWorkflowBundle =
  /** what Worker.create takes as `workflowBundle`; built: false when an earlier start (or `npm run build:workflows`) had built it */
  | { codePath: string; built: boolean }
  /** built in memory only: the cache folder could not be written */
  | { code: string; built: true };

/**
 * Where bundles are kept (DATA_DIR's value): under DATA_DIR rather than node_modules/.cache, because DATA_DIR is
 * where a deployment lets crm-sync write (the Docker image runs as `node` over a root-owned node_modules, and
 * checkouts may share one node_modules), and all the processes of one deployment (the cluster's workers,
 * `npm run build:workflows`) see the same DATA_DIR.
 */
export function workflowBundleDir(dataDir: string): string {
  return join(dataDir, 'workflow-bundles');
}

/** Bundles of other sources (older versions, edits during development) kept besides the newest, for rollbacks. */
const KEPT_BUNDLES = 4;

/**
 * The bundle of our workflows, from the cache when one was built from the same sources, else built now (3-11 s of
 * webpack on our busy 2-core machine) and cached. Built with the options Worker.create would pass to the bundler for
 * our data converter, so a worker given this bundle runs what it would have bundled itself.
 */
export async function cachedWorkflowBundle(options: WorkflowBundleOptions): Promise<CachedWorkflowBundle> {
  const started = performance.now();
  const workflowsPath = options.workflowsPath ?? require.resolve('../workflows');
  const bundlerOptions = { workflowsPath, ...CONVERTER_PATHS };
  const key = bundleKey(options.sourceRoot ?? resolve(__dirname, '..'), bundlerOptions);
  const codePath = join(options.dir, `workflows-${key}.js`);
  if (existsSync(codePath)) {
    options.logger.info({ key, ms: elapsedMs(started) }, 'workflow bundle reused');
    return { codePath, built: false };
  }
  const { code } = await bundleWorkflowCode({ ...bundlerOptions, logger: bundlerLogger(options.logger) });
  const fields = { key, ms: elapsedMs(started), bytes: Buffer.byteLength(code) };
  try {
    mkdirSync(options.dir, { recursive: true });
    // Renamed into place whole: a worker starting beside this one finds either no bundle or a complete one.
    const temporary = `${codePath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, codePath);
  } catch (error) {
    // a read-only DATA_DIR costs the next start a rebuild, not this one its start
    options.logger.warn({ ...fields, dir: options.dir, code: (error as NodeJS.ErrnoException).code }, 'workflow bundle built, but not cached');
    return { code, built: true };
  }
  pruneBundles(options.dir);
  options.logger.info(fields, 'workflow bundle built');
  return { codePath, built: true };
}

/**
 * A hash of everything a bundle is made of: every source file under the root (a workflow may import any of them; a
 * file it does not import only costs a rebuild), the installed dependencies (package-lock.json, the SDK's versions)
 * and the bundler's options.
 */
function bundleKey(sourceRoot: string, bundlerOptions: Record<string, string>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ bundlerOptions, sdk: ['@temporalio/worker', '@temporalio/workflow'].map(installedVersion) }));
  const files = readdirSync(sourceRoot, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js|cjs|mjs|json)$/.test(file))
    .sort();
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(join(sourceRoot, file)));
  }
  const lockFile = findUp(sourceRoot, 'package-lock.json');
  hash.update(lockFile ? readFileSync(lockFile) : '\0no lock file');
  return hash.digest('hex').slice(0, 32);
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

function findUp(from: string, name: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

/** Removes all but the newest bundles; a rename that a concurrent build has not done yet leaves a .tmp file alone. */
function pruneBundles(dir: string): void {
  const bundles = readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    // a bundle another process pruned meanwhile has no stat
    .map((file) => ({ path: join(dir, file), mtimeMs: statSync(join(dir, file), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of bundles.slice(KEPT_BUNDLES)) rmSync(old.path, { force: true });
}

/** The bundler's warnings (a module it had to stub, …) in our log; its "bundle created" says what our own line says. */
function bundlerLogger(logger: Logger): SdkLogger {
  const ignore = () => undefined;
  return {
    log: ignore,
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: (message) => logger.warn({ sdkComponent: 'bundler' }, message),
    error: (message) => logger.error({ sdkComponent: 'bundler' }, message),
  };
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}
