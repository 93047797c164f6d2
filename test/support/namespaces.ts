import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Each test file gets its own Temporal namespace (created by globalSetup), so files running in parallel cannot see
 * each other's workflows even when the simulators hand out the same record ids.
 */
export function namespaceFor(testFile: string): string {
  return `t-${basename(testFile).replace(/\.test\.ts$/, '').replace(/[^a-zA-Z0-9-]/g, '-')}`;
}

export function allTestNamespaces(testRoot: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.test.ts')) found.push(namespaceFor(entry.name));
    }
  };
  walk(testRoot);
  return found;
}
