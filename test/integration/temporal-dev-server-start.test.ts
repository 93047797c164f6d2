import { Connection } from '@temporalio/client';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer } from '../../src/temporal/dev-server';

jest.setTimeout(60_000);

/**
 * The SDK waits 5 s for a dev server it starts, then kills it; a CI run's global setup once failed that way on a busy
 * machine. These stand in a Temporal CLI whose first starts never answer (a shell script that logs each start, then
 * sleeps where the real CLI would serve).
 */
describe('the embedded Temporal dev server start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-slow-temporal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function cliSlowFor(starts: number): { path: string; started: () => number } {
    const real = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
    if (!real) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or put `temporal` on PATH');
    const log = join(dir, `starts-${starts}`);
    const path = join(dir, `temporal-slow-${starts}`);
    writeFileSync(
      path,
      `#!/bin/sh\necho start >> '${log}'\nif [ "$(wc -l < '${log}')" -le ${starts} ]; then exec sleep 60; fi\nexec '${real}' "$@"\n`,
    );
    chmodSync(path, 0o755);
    return { path, started: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
  }

  test('a start that misses the deadline is made again, and the server then serves', async () => {
    const cli = cliSlowFor(1);
    const server = await startDevServer({ cliPath: cli.path });
    try {
      expect(cli.started()).toBe(2);
      const connection = await Connection.connect({ address: server.address });
      try {
        const info = await connection.workflowService.getSystemInfo({});
        expect(info.serverVersion).toMatch(/\d+\.\d+/);
      } finally {
        await connection.close();
      }
    } finally {
      await server.stop();
    }
  });

  test('a server that never answers fails the start after three tries, saying so', async () => {
    const cli = cliSlowFor(Number.MAX_SAFE_INTEGER);
    await expect(startDevServer({ cliPath: cli.path })).rejects.toThrow(/did not start within/);
    expect(cli.started()).toBe(3);
  });
});
