import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fresh directories for one test file, all under one root that is removed after its tests: a DATA_DIR gets an admin
 * token and codec keys written into it, which must not pile up in the machine's temp directory run after run. The
 * root is made by the first call, not when the file is collected, so a filtered run (-t) that runs none of the file's
 * tests leaves nothing behind either (as test/integration/store/database.test.ts does for its own directory).
 */
export function tempDirsOfThisFile(prefix: string): () => string {
  let root: string | undefined;
  afterAll(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });
  return () => {
    root ??= mkdtempSync(join(tmpdir(), prefix));
    return mkdtempSync(join(root, 'dir-'));
  };
}
