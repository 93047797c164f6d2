import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/child-process';
import { waitFor } from '../support/wait-for';

const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * `npm start` and the other entry points run as package.json's scripts say. Through the tsx command they ran in a
 * child process that tsx killed with SIGKILL when it had not reported a Ctrl-C within 60 ms, which a busy event loop
 * does not: the orderly stop was skipped (a private RabbitMQ node or dev server left behind; CI saw it once).
 */
describe('a signal to an entry point run as package.json runs it', () => {
  test.each(['start', 'worker', 'api', 'sandbox', 'cli'])('%s: SIGINT reaches its stop while its event loop is busy', async (script) => {
    const [command = '', ...args] = (scripts[script] ?? '').split(' ');
    const entry = args.findIndex((arg) => arg.endsWith('.ts'));
    expect(entry).toBeGreaterThanOrEqual(0);
    args.splice(entry, args.length - entry, 'test/fixtures/busy-entry-point.ts');
    // as npm runs a script: its packages' commands on PATH
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // at the start of a busy stretch of its loop (200 ms without a turn)
    await waitFor(() => output.includes('busy\n'), 'the entry point to start', 30_000, 5);
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output).toContain('busy main: SIGINT received, shutting down');
    expect(output).toContain('parts stopped');
  });
});
