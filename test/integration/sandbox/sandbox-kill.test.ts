import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TSX } from '../../support/child-process';
import { freePort } from '../../support/free-port';
import { hubspotAdmin, zohoAdmin } from '../../support/sim-client';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(90_000);

const readIfPresent = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/**
 * Issue 15 point 9: the simulators' data survives a kill -9, not only Ctrl-C. `npm run sandbox` (the simulators in a
 * process of their own, as `npm start` runs them inside its own) is killed with SIGKILL right after a person's edits
 * and started again on the same DATA_DIR.
 */
describe('the simulators killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-sandbox-kill-'));
  let running: ChildProcess | undefined;
  afterAll(() => {
    if (running?.pid) process.kill(-running.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(ports: { hubspot: number; zoho: number }): Promise<ChildProcess> {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SANDBOX_HUBSPOT_PORT: String(ports.hubspot),
      SANDBOX_ZOHO_PORT: String(ports.zoho),
      SANDBOX_SEED_CONTACTS: '5',
      SANDBOX_SEED_COMPANIES: '2',
      // the CRMs' snapshots are what this is about: no rabbitmq-server there, so no broker node and no shop
      RABBITMQ_BIN_DIR: dataDir,
    };
    // Its own process group, so SIGKILL reaches tsx's node child too, as a kill of `npm start`'s group would.
    const child = spawn(TSX, ['src/sandbox-main.ts'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const started = () => {
      if (child.exitCode !== null) throw new Error(`npm run sandbox ended:\n${output}`);
      return output.includes('Press Ctrl-C to stop.');
    };
    await waitFor(started, 'the simulators to start', 60_000, 100);
    running = child;
    return child;
  }

  async function killHard(child: ChildProcess): Promise<void> {
    const group = child.pid ?? 0;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-group, 'SIGKILL');
    await exited;
    await waitFor(() => !groupAlive(group), 'every process of the group to end', 10_000);
    running = undefined;
  }

  function groupAlive(group: number): boolean {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  }

  test('keeps records written just before the kill', async () => {
    const ports = { hubspot: await freePort(), zoho: await freePort() };
    const hubspot = hubspotAdmin(`http://127.0.0.1:${ports.hubspot}`);
    const zoho = zohoAdmin(`http://127.0.0.1:${ports.zoho}`);

    await killHard(await start(ports));
    await start(ports);
    const seeded = { hubspot: (await hubspot.records('contacts')).length, zoho: (await zoho.records('Contacts')).length };
    expect(seeded).toEqual({ hubspot: 5, zoho: 5 });

    const contact = await hubspot.create('contacts', { email: 'kept.after.kill@example.com', firstname: 'Kept' });
    const person = await zoho.create('Contacts', { Last_Name: 'Kept', Email: 'kept.after.kill@example.com' });
    await hubspot.update('contacts', contact.id, { lastname: 'Edited' });
    // No clean stop: the process is killed as soon as its files on disk hold the edits, written as the data changed.
    const onDisk = () => ['hubspot', 'zoho'].every((name) => readIfPresent(join(dataDir, 'sandbox', `${name}.json`)).includes('kept.after.kill@example.com'));
    await waitFor(() => onDisk() && readIfPresent(join(dataDir, 'sandbox', 'hubspot.json')).includes('Edited'), 'the edits in the snapshot files', 10_000);
    await killHard(running as ChildProcess);

    await start(ports);
    const contacts = await hubspot.records('contacts');
    expect(contacts).toHaveLength(6);
    expect(contacts.find((c) => c.id === contact.id)?.properties).toMatchObject({ email: 'kept.after.kill@example.com', lastname: 'Edited' });
    expect((await zoho.records('Contacts')).find((r) => r.id === person.id)).toMatchObject({ Last_Name: 'Kept' });
    await killHard(running as ChildProcess);
  });
});
