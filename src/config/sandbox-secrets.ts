import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * In sandbox mode the payload key and the admin token are generated once and kept under DATA_DIR (mode 0600), so a
 * restart can still decrypt old workflow history. Live mode must configure both: a missing value is a ConfigError.
 */
export function sandboxSecret(dataDir: string, name: 'codec-keys' | 'admin-token'): string {
  const path = join(dataDir, name);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    const value = name === 'codec-keys' ? `sandbox1:${randomBytes(32).toString('base64')}` : randomBytes(24).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  }
}
