import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig, type AppConfig } from '../../src/config';
import type { MailSummary } from '../../src/sandbox/mail/mail-sink';
import { FAILURE_REPORT_SCHEDULE_ID } from '../../src/temporal/failure-report-schedule';
import { syncStatusQuery } from '../../src/workflows/messages';
import { alive, startAppOnFreePorts, type AppProcess } from '../support/app-process';
import { runProcess } from '../support/child-process';
import { callsIn, JOINED_SOURCE_READS } from '../support/history-calls';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { waitFor, waitForReady } from '../support/wait-for';

jest.setTimeout(180_000);

/**
 * `npm start` as a user runs it (issue #2 point 2, issue #6 points 2, 4, 5, issue 14 point 5): sandbox (the
 * simulators in a process of their own), embedded Temporal with its Web UI, worker and API in one process tree on
 * non-default ports; Ctrl-C stops all of it; state survives a restart.
 */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-sync-start-'));
  let ports: Record<string, number> = {};
  let env: Record<string, string | undefined> = {};
  let config: AppConfig;
  let app: AppProcess | undefined;
  const created = { email: 'ada.start@example.com', hubspotId: '', poisonId: '' };

  let extraEnv: Record<string, string> = {};

  beforeAll(async () => {
    extraEnv = { SANDBOX_SEED_CONTACTS: '20', SANDBOX_SEED_COMPANIES: '5' };
  });
  afterAll(() => {
    app?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const url = (port: string, path: string) => `http://127.0.0.1:${ports[port]}${path}`;
  const hubspot = () => hubspotAdmin(url('SANDBOX_HUBSPOT_PORT', ''));
  const zoho = () => zohoAdmin(url('SANDBOX_ZOHO_PORT', ''));

  async function withClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
    try {
      return await use(new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) }));
    } finally {
      await connection.close();
    }
  }

  async function start(): Promise<AppProcess> {
    ({ app, env, ports } = await startAppOnFreePorts(dataDir, extraEnv));
    await waitForReady(url('API_PORT', ''), 60_000, 200);
    return app;
  }

  /**
   * Ctrl-C (SIGINT to the whole process group, as a terminal sends it): the app stops cleanly (exit 0, "stopped")
   * within 20 s and no process of the tree is left. npm itself then reports the interrupt as npm does for any script
   * run through `sh -c` (killed by SIGINT, shell status 130), or 0 when the shell exec'd the script.
   */
  async function stop(running: AppProcess): Promise<void> {
    const tree = await running.processTree();
    expect(tree.length).toBeGreaterThanOrEqual(3);
    const started = Date.now();
    const ended = await running.interrupt(20_000);
    const report = { ended, stopped: running.output().includes('crm-sync: stopped\n') };
    expect(report.stopped ? report : { ...report, output: running.output() }).toEqual({ ended: expect.anything(), stopped: true });
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(ended);
    await waitFor(() => alive(tree).length === 0, 'every process of the tree to end', Math.max(1000, 20_000 - (Date.now() - started)), 100);
    const listing = await runProcess('ps', ['-eo', 'pid=,args='], { PATH: process.env.PATH });
    expect(listing.stdout.split('\n').filter((line) => line.includes(dataDir))).toEqual([]);
    app = undefined;
  }

  test('starts everything on the configured ports, syncs, serves mail, metrics and the codec, and stops on Ctrl-C', async () => {
    const running = await start();
    expect(running.output()).toContain(`crm-sync is running (sandbox mode)`);
    expect(running.output()).toContain(`Temporal Web UI    http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    config = loadConfig({ ...env, TEMPORAL_ADDRESS: `127.0.0.1:${ports.TEMPORAL_PORT}` });
    expect(running.output()).toContain(config.adminToken);

    // The simulators stand for remote systems: both listen in one process of npm start's tree, not the app's.
    const [appPid, hubspotPid, zohoPid] = await Promise.all(['API_PORT', 'SANDBOX_HUBSPOT_PORT', 'SANDBOX_ZOHO_PORT'].map((name) => running.listener(ports[name] ?? 0)));
    expect({ app: typeof appPid, hubspot: typeof hubspotPid, sameAsZoho: hubspotPid === zohoPid, sameAsApp: hubspotPid === appPid }).toEqual({
      app: 'number',
      hubspot: 'number',
      sameAsZoho: true,
      sameAsApp: false,
    });

    const contact = await hubspot().create('contacts', { email: created.email, firstname: 'Ada', lastname: 'Lovelace' });
    created.hubspotId = contact.id;
    await waitFor(async () => (await zoho().records('Contacts')).some((r) => r.Email === created.email), 'the contact in Zoho', 60_000);

    // The sandbox SMTP sink shows the failure report the Schedule sends.
    expect(await (await fetch(url('API_PORT', '/_sim/mail'))).json()).toEqual([]);
    const poison = await hubspot().create('contacts', { email: 'no.lastname.start@example.com', firstname: 'No', lastname: '' });
    created.poisonId = poison.id;
    await withClient(async (client) => {
      const handle = client.workflow.getHandle(`hubspot:contact:${poison.id}`);
      await waitFor(async () => (await handle.query(syncStatusQuery)).status === 'failed', 'the poison record to fail', 60_000);
      await client.schedule.getHandle(FAILURE_REPORT_SCHEDULE_ID).trigger();
    });
    const mail = await waitFor(async () => ((await (await fetch(url('API_PORT', '/_sim/mail'))).json()) as MailSummary[])[0], 'the report in /_sim/mail', 60_000);
    expect(mail).toMatchObject({ subject: 'crm-sync: 1 record failing (1 cause)', from: 'crm-sync@localhost', to: 'operators@localhost' });
    expect(readdirSync(join(dataDir, 'mail'))).toEqual([`${mail.id}.eml`]);

    // Metrics behind the token, with the SDK's own relayed from TEMPORAL_SDK_METRICS_ADDRESS.
    expect((await fetch(url('API_PORT', '/metrics'))).status).toBe(401);
    const metrics = await (await fetch(url('API_PORT', '/metrics'), { headers: { authorization: `Bearer ${config.adminToken}` } })).text();
    expect(metrics).toMatch(/^crm_sync_webhooks_received_total\{source="hubspot"\} [1-9]/m);
    expect(metrics).toMatch(/^crm_sync_crm_calls_total\{.*status="200".*\} [1-9]/m);
    expect(metrics).toMatch(/^crm_sync_syncs\{.*outcome="failed".*\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^temporal_workflow_task_queue_poll_succeed\{/m);

    // The Web UI is up, pointed at our codec server, whose CORS admits the UI's origin on its configured port.
    const uiOrigin = `http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`;
    const settings = (await (await fetch(`${uiOrigin}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).toBe(url('API_PORT', `/codec/ui/${config.adminToken}`));
    const preflight = await fetch(url('API_PORT', `/codec/ui/${config.adminToken}/decode`), {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);

    await stop(running);
    expect(alive([hubspotPid ?? 0])).toEqual([]);
  });

  test('a restart on the same DATA_DIR keeps workflow histories, CRM data, links and mail', async () => {
    const running = await start();
    await withClient(async (client) => {
      const history = await client.workflow.getHandle(`hubspot:contact:${created.hubspotId}`).fetchHistory();
      expect(history.events?.[0]?.workflowExecutionStartedEventAttributes).toBeTruthy();
      // the live pass's read of its HubSpot record, joined with its store lookup (src/activities/joined-pass-activities.ts)
      expect(callsIn(history.events ?? []).some((call) => JOINED_SOURCE_READS.has(call.activityType))).toBe(true);
      expect((await client.workflow.getHandle(`hubspot:contact:${created.poisonId}`).query(syncStatusQuery)).status).toBe('failed');
    });
    const [hubspotRecords, zohoRecords] = await Promise.all([hubspot().records('contacts'), zoho().records('Contacts')]);
    const zohoAda = zohoRecords.find((r) => r.Email === created.email);
    expect(hubspotRecords.find((r) => r.id === created.hubspotId)?.properties.zoho_record_id).toBe(zohoAda?.id);
    expect(((await (await fetch(url('API_PORT', '/_sim/mail'))).json()) as MailSummary[]).length).toBe(1);

    // The link made before the restart still holds: an edit on the Zoho side reaches the same HubSpot record.
    await zoho().update('Contacts', zohoAda?.id ?? '', { Title: 'Countess' });
    await waitFor(async () => (await hubspot().records('contacts')).find((r) => r.id === created.hubspotId)?.properties.jobtitle === 'Countess', 'the edit in HubSpot', 60_000);
    // And a record created now gets ids that do not collide with the earlier ones.
    const next = await hubspot().create('contacts', { email: 'grace.start@example.com', firstname: 'Grace', lastname: 'Hopper' });
    expect(next.id).not.toBe(created.hubspotId);
    await waitFor(async () => (await zoho().records('Contacts')).some((r) => r.Email === 'grace.start@example.com'), 'the new contact in Zoho', 60_000);

    await stop(running);
    expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(config.adminToken);
  });
});
