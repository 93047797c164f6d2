import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubspotAdmin, zohoAdmin } from '../../test/support/sim-client';
import { waitFor } from '../../test/support/wait-for';
import { startCluster, type Cluster } from './cluster';

/**
 * `npm run cluster:smoke` (a step of CI after the tests): the production topology started for real, a contact created
 * in HubSpot reaching Zoho and back with both records naming each other, a worker killed with SIGKILL and sync going
 * on with the other, then every part stopped cleanly. Exits 1, saying which step failed, on any failure.
 */
const SYNC_DEADLINE_MS = 60_000;

const log = (line: string) => process.stdout.write(`cluster smoke: ${line}\n`);

async function smoke(cluster: Cluster): Promise<Record<string, number>> {
  const hubspot = hubspotAdmin(cluster.hubspotUrl);
  const zoho = zohoAdmin(cluster.zohoUrl);
  const figures: Record<string, number> = {};

  const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

  /** creates a contact in HubSpot as a person would, and waits until its Zoho twin and it name each other */
  const roundTrip = async (email: string): Promise<{ seconds: number; zohoId: string; hubspotId: string }> => {
    const started = performance.now();
    const created = await hubspot.create('contacts', { email, firstname: 'Smoke', lastname: 'Test' });
    const inZoho = await waitFor(async () => (await zoho.records('Contacts')).find((record) => record.Email === email), `${email} in Zoho`, SYNC_DEADLINE_MS, 100);
    if (inZoho.HubSpot_ID !== created.id) throw new Error(`${email}: the Zoho record names HubSpot ${String(inZoho.HubSpot_ID)}, not ${created.id}`);
    await waitFor(
      async () => (await hubspot.records('contacts')).find((record) => record.id === created.id)?.properties.zoho_record_id === inZoho.id,
      `${email}: the Zoho id (${inZoho.id}) written back into HubSpot`,
      SYNC_DEADLINE_MS,
      100,
    );
    return { seconds: seconds(started), zohoId: inZoho.id, hubspotId: created.id };
  };

  const first = await roundTrip(`smoke.first.${Date.now()}@example.com`);
  figures['new contact cross-referenced, 2 workers (s)'] = first.seconds;
  log(`a HubSpot contact reached Zoho and back, ids cross-referenced, in ${first.seconds} s`);

  await cluster.kill('worker', 0);
  log('worker-1 killed with SIGKILL');
  const after = await roundTrip(`smoke.after-kill.${Date.now()}@example.com`);
  figures['new contact cross-referenced, worker-1 killed (s)'] = after.seconds;
  log(`with worker-1 dead: a new contact cross-referenced in ${after.seconds} s`);
  // The first contact's workflow may be cached on the dead worker: its next task waits out the sticky-queue timeout.
  const edited = performance.now();
  await zoho.update('Contacts', first.zohoId, { Title: 'Edited after the kill' });
  await waitFor(
    async () => (await hubspot.records('contacts')).find((record) => record.id === first.hubspotId)?.properties.jobtitle === 'Edited after the kill',
    'the Zoho edit of the first contact in HubSpot',
    SYNC_DEADLINE_MS,
    100,
  );
  figures['edit of the first contact synced, worker-1 killed (s)'] = seconds(edited);
  log(`with worker-1 dead: a Zoho edit of the first contact reached HubSpot in ${seconds(edited)} s`);
  return figures;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-cluster-'));
  let cluster: Cluster | undefined;
  let passed = false;
  try {
    cluster = await startCluster({
      dir,
      log,
      // a short gathering window: one event, one pass
      env: { SYNC_COALESCE_MS: '50' },
      sandboxEnv: { SANDBOX_SEED_CONTACTS: '0', SANDBOX_SEED_COMPANIES: '0' },
      shop: false,
    });
    const figures = { ...cluster.timings, ...(await smoke(cluster)) };
    const started = performance.now();
    const unclean = await cluster.stop();
    cluster = undefined;
    if (unclean.length) throw new Error(`not stopped cleanly (killed after the deadline): ${unclean.join(', ')}`);
    figures['clean stop (s)'] = Math.round((performance.now() - started) / 100) / 10;
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    log('OK');
    passed = true;
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    await cluster?.stop().catch(() => undefined);
    printLogs(join(dir, 'logs'));
  } finally {
    if (passed) rmSync(dir, { recursive: true, force: true });
    else log(`state and logs kept in ${dir}`);
  }
  process.exit(passed ? 0 : 1);
}

/** The end of every process's log, for a failure seen only in CI's output. */
function printLogs(dir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const lines = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
    const tail = lines.slice(-30).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line));
    process.stdout.write(`--- ${name} (last ${tail.length} of ${lines.length} lines, each cut at 400 characters)\n${tail.join('\n')}\n`);
  }
}

void main();
