import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Duck-typed: errors from Node built-ins may come from another realm (e.g. under Jest), failing instanceof. */
function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** Lock files this process holds, so a pid recycled after a container restart is not mistaken for a live owner. */
const heldHere = new Set<string>();

function ownerAlive(pid: number, lockPath: string): boolean {
  if (pid === process.pid) return heldHere.has(lockPath);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(err) === 'EPERM';
  }
}

/**
 * Two processes opening one PGlite directory silently corrupt it (PGlite does not check), e.g. a worker and an
 * API started separately against the embedded default. Take `<dataDir>.lock` (a sibling: PGlite decides whether
 * to initdb by looking inside the directory) and return its release function.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside then hard-linked into place: link is atomic, so nobody ever reads a half-written lock.
    const staged = `${lockPath}.${process.pid}`;
    writeFileSync(staged, String(process.pid));
    try {
      linkSync(staged, lockPath);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && ownerAlive(pid, lockPath)) {
        throw new Error(
          `PGlite data directory ${dataDir} is in use by process ${pid}; run one process per directory, or use ` +
            `DATABASE_URL (Postgres) to share state between processes. Remove ${lockPath} if that process is gone.`,
        );
      }
      rmSync(lockPath, { force: true });
    } finally {
      rmSync(staged, { force: true });
    }
  }
  throw new Error(`could not take ${lockPath}`);
}
