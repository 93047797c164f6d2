import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/child-process';
import { waitFor } from '../../support/wait-for';

/**
 * What `npm start`'s store promises under a crash (docs/RELIABILITY.md): a process killed with SIGKILL loses no commit
 * PGlite acknowledged on Node. A child process commits one row at a time, printing each number once its INSERT
 * returned; it is killed mid-stream, and the directory, opened again, holds every row it printed.
 */
const WRITER = `
import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create({ dataDir: process.argv[1] });
await db.exec('CREATE TABLE t (n int PRIMARY KEY)');
for (let n = 1; ; n++) {
  await db.query('INSERT INTO t VALUES ($1)', [n]);
  process.stdout.write(n + '\\n');
}
`;

describe('PGlite on Node under SIGKILL', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-pglite-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every acknowledged commit is there after the writer was killed', async () => {
    const dataDir = join(dir, 'data');
    const writer = spawn(process.execPath, ['--input-type=module', '-e', WRITER, dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    writer.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    writer.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    let ended = false;
    const exited = new Promise<void>((resolve) => writer.once('exit', () => resolve())).finally(() => (ended = true));
    const lastPrinted = () => Number(output.trimEnd().split('\n').at(-1) ?? 0);
    // in the middle of a stream of commits, not after a quiet moment; a writer that dies first says why
    await waitFor(
      () => {
        if (ended) throw new Error(`the writer ended after ${lastPrinted()} rows: ${errors.slice(-2_000)}`);
        return lastPrinted() >= 500;
      },
      'the writer to commit 500 rows',
      90_000,
    ).catch((error: unknown) => {
      writer.kill('SIGKILL');
      throw new Error(`${String(error)}; the writer's stderr: ${errors.slice(-2_000) || '(empty)'}`);
    });
    writer.kill('SIGKILL');
    await exited;
    const acknowledged = lastPrinted();

    const db = await PGlite.create({ dataDir });
    const { rows } = await db.query<{ max: number; count: number }>('SELECT max(n) AS max, count(*)::int AS count FROM t');
    await db.close();
    expect(rows[0]?.max).toBeGreaterThanOrEqual(acknowledged);
    expect(rows[0]?.count).toBe(rows[0]?.max);
  }, 120_000);
});
