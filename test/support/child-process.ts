import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { KeyRing } from '../../src/codec/key-ring';
import type { AppConfig } from '../../src/config';

export const REPO_ROOT = join(__dirname, '..', '..');
/**
 * The command line that runs our TypeScript `script` with `args` as package.json's scripts run our entry points: node
 * with tsx's loader, one process. (The tsx command runs the script in a child and, when that child does not report a
 * signal within 60 ms, which a busy event loop does not, kills it with SIGKILL: a Ctrl-C or SIGTERM then skipped the
 * orderly stop.)
 */
export function entryCommand(script: string, args: readonly string[] = []): [command: string, args: string[]] {
  return [process.execPath, ['--import', 'tsx', script, ...args]];
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after timeoutMs) and collects its output. */
export function runProcess(command: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The key-ring text format of CODEC_KEYS, active key first. */
export function keyRingText(ring: KeyRing): string {
  const others = Object.keys(ring.keys).filter((id) => id !== ring.activeKeyId);
  return [ring.activeKeyId, ...others].map((id) => `${id}:${ring.keys[id] ?? ''}`).join(',');
}

/** Environment of an operator's shell pointed at the same Temporal namespace, state and keys as `config`. */
export function operatorEnv(config: AppConfig, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    DATA_DIR: config.dataDir,
    CODEC_KEYS: keyRingText(config.codecKeys),
    ADMIN_TOKEN: config.adminToken,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs our TypeScript `script` to completion, as package.json's scripts run our entry points. */
export function runEntryPoint(script: string, args: readonly string[], env: Record<string, string | undefined>, timeoutMs?: number): Promise<ProcessResult> {
  return runProcess(...entryCommand(script, args), env, timeoutMs);
}

/** `npm run cli -- <args>` without npm's own start-up cost: the same command line as its script. */
export function runCli(config: AppConfig, args: string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  return runEntryPoint('src/cli.ts', args, operatorEnv(config, extraEnv));
}
