import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/free-port';
import { hubspotAdmin, zohoAdmin } from '../../support/sim-client';
import { waitFor } from '../../support/wait-for';
import { startGroupProcess, type GroupProcess } from '../../support/worker-process';

jest.setTimeout(90_000);

const readIfPresent = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/**
 * Issue 15 point 9: the simulators' data survives a kill -9, not only Ctrl-C. `npm run sandbox` (the simulators in a
 * process of their own, as `npm start` runs them inside its own) is killed with SIGKILL right after a person's edits
 * and started again on the same DATA_DIR.
 */
describe('the simulators killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-sandbox-kill-'));
  let running: GroupProcess | undefined;
  afterAll(async () => {
    await running?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(ports: { hubspot: number; zoho: number }): Promise<GroupProcess> {
    // In a process group of its own, so SIGKILL reaches the simulators' child process too, as a kill of `npm start`'s group would.
    const sandbox = startGroupProcess('src/sandbox-main.ts', {
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
    });
    running = sandbox;
    const started = () => {
      if (sandbox.child.exitCode !== null) throw new Error(`npm run sandbox ended:\n${sandbox.output()}`);
      return sandbox.output().includes('Press Ctrl-C to stop.');
    };
    await waitFor(started, 'the simulators to start', 60_000, 100);
    return sandbox;
  }

  async function killHard(sandbox: GroupProcess): Promise<void> {
    await sandbox.kill();
    running = undefined;
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
    await killHard(running as GroupProcess);

    await start(ports);
    const contacts = await hubspot.records('contacts');
    expect(contacts).toHaveLength(6);
    expect(contacts.find((c) => c.id === contact.id)?.properties).toMatchObject({ email: 'kept.after.kill@example.com', lastname: 'Edited' });
    expect((await zoho.records('Contacts')).find((r) => r.id === person.id)).toMatchObject({ Last_Name: 'Kept' });
    await killHard(running as GroupProcess);
  });
});
