import { waitFor } from '../../test/support/wait-for';
import { startGroupProcess, type GroupProcess } from '../../test/support/worker-process';

/** One process of ours that can be killed and started again with the same environment. */
export interface Restartable {
  kill(): Promise<void>;
  start(): Promise<void>;
}

/**
 * An entry point in a process group of its own; `ready` says when a fresh start serves. Its output is kept only for
 * the error when it never gets ready (the product logs no PII, and only warnings here).
 */
export function groupPart(name: string, script: string, env: Record<string, string | undefined>, args: readonly string[], ready: (process: GroupProcess) => Promise<boolean>): Restartable {
  let current: GroupProcess | null = null;
  return {
    async start() {
      const started = startGroupProcess(script, env, args);
      current = started;
      try {
        const exited = new Promise<never>((_, reject) => started.child.once('exit', (code, signal) => reject(new Error(`exited (${signal ?? code})`))));
        await Promise.race([exited, waitFor(() => ready(started), `${name} to serve`, 120_000, 200)]);
      } catch (error) {
        await started.kill();
        current = null;
        throw new Error(`${name} never got ready (${error instanceof Error ? error.message : String(error)}); its last output:\n${started.output().slice(-3000)}`);
      }
    },
    async kill() {
      await current?.kill();
      current = null;
    },
  };
}

/** Whether `url` answers at all (`okOnly`: with a 2xx), within 2 s. */
export async function answers(url: string, okOnly: boolean): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return okOnly ? response.ok : true;
  } catch {
    return false;
  }
}
