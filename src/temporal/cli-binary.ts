import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where the Temporal CLI (which embeds the dev server) lives: TEMPORAL_CLI_PATH, else `temporal` on PATH.
 * undefined means "let @temporalio/testing download it", which needs internet.
 */
export function findTemporalCli(explicitPath: string | undefined, searchPath: string | undefined): string | undefined {
  if (explicitPath) return explicitPath;
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'temporal');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
