import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fresh directories for one test file, all under one root that is removed after its tests: a DATA_DIR gets an admin
 * token and codec keys written into it, which must not pile up in the machine's temp directory run after run.
 */
export function tempDirsOfThisFile(prefix: string): () => string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return () => mkdtempSync(join(root, 'dir-'));
}
