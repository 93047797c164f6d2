import { findTemporalCli } from '../../src/temporal/cli-binary';
import { retrySignal, syncStatusQuery } from '../../src/workflows/messages';
import { operatorEnv, runCli, runProcess } from '../support/child-process';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * Issue #6 point 3: a failed record's workflow waits; the `retry` signal (Temporal client, `temporal workflow
 * signal`, our CLI one by one or in bulk through the visibility query) is the only thing that resumes it here.
 * Each record is fixed in HubSpot while its webhooks are switched off, so without the retry nothing would happen.
 */
describe('retry of failed records and operator status', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const status = (workflowId: string) => stack.client.workflow.getHandle(workflowId).query(syncStatusQuery);
  const inZoho = async (email: string) => (await zoho.records('Contacts')).find((r) => r.Email === email && r.$deleted !== true);

  /** A HubSpot contact that Zoho refuses (no last name), failed and then fixed without any webhook reaching us. */
  async function failedThenSilentlyFixed(email: string): Promise<string> {
    const created = await hubspot.create('contacts', { email, firstname: 'Retry', lastname: '' });
    const workflowId = `hubspot:contact:${created.id}`;
    await waitFor(async () => (await status(workflowId)).status === 'failed', `${workflowId} to fail`);
    await fixSilently(() => hubspot.update('contacts', created.id, { lastname: 'Fixed' }));
    return workflowId;
  }

  async function fixSilently(fix: () => Promise<unknown>): Promise<void> {
    const target = stack.hubspot.options.webhook.targetUrl;
    stack.hubspot.setWebhookTarget(null);
    try {
      await fix();
    } finally {
      stack.hubspot.setWebhookTarget(target);
    }
  }

  /** Nothing reached the workflow: it is still failed with nothing queued, and the record is not in Zoho. */
  async function expectStillWaiting(workflowId: string, email: string): Promise<void> {
    const state = await status(workflowId);
    expect(state).toMatchObject({ status: 'failed', pendingEvents: 0, passes: 1 });
    expect(await inZoho(email)).toBeUndefined();
  }

  async function expectSynced(workflowId: string, email: string): Promise<void> {
    const record = await waitFor(() => inZoho(email), `${email} in Zoho after the retry`);
    expect(record.Last_Name).toBe('Fixed');
    await waitFor(async () => (await status(workflowId)).status === 'ok', `${workflowId} to be ok`);
    expect((await status(workflowId)).passes).toBe(2);
  }

  test('the retry signal sent through the Temporal client re-runs the sync', async () => {
    const email = 'retry.client@example.com';
    const workflowId = await failedThenSilentlyFixed(email);
    await expectStillWaiting(workflowId, email);
    await stack.client.workflow.getHandle(workflowId).signal(retrySignal);
    await expectSynced(workflowId, email);
  });

  test('`temporal workflow signal --name retry` does the same', async () => {
    const temporal = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
    if (!temporal) throw new Error('the Temporal CLI is needed (TEMPORAL_CLI_PATH or `temporal` on PATH)');
    const email = 'retry.temporal-cli@example.com';
    const workflowId = await failedThenSilentlyFixed(email);
    await expectStillWaiting(workflowId, email);
    const result = await runProcess(
      temporal,
      ['workflow', 'signal', '--address', stack.config.temporal.address ?? '', '--namespace', stack.config.temporal.namespace, '--workflow-id', workflowId, '--name', 'retry'],
      { PATH: process.env.PATH, HOME: process.env.HOME },
    );
    expect(result).toMatchObject({ code: 0 });
    await expectSynced(workflowId, email);
  });

  test('`npm run cli -- retry <workflowId>` does the same, finding the server by TEMPORAL_PORT as with `npm start`', async () => {
    const email = 'retry.our-cli@example.com';
    const workflowId = await failedThenSilentlyFixed(email);
    await expectStillWaiting(workflowId, email);
    // As a user of `npm start` on another port: no TEMPORAL_ADDRESS, only the embedded server's TEMPORAL_PORT.
    const port = /:(\d+)$/.exec(stack.config.temporal.address ?? '')?.[1] ?? '';
    const result = await runCli(stack.config, ['retry', workflowId], { TEMPORAL_ADDRESS: '', TEMPORAL_PORT: port });
    expect(result).toMatchObject({ code: 0, stdout: `retry signalled: ${workflowId}\n` });
    await expectSynced(workflowId, email);
  });

  test('`status` counts by SyncStatus and object; `retry --all-failed --object contact` retries only failed contacts', async () => {
    const emails = ['bulk.one@example.com', 'bulk.two@example.com'];
    // One after the other: fixSilently switches the webhook target off and back on, and two overlapping fixes could
    // leave it off for good (the second saves the "off" the first set, and restores it last).
    const contacts: string[] = [];
    for (const email of emails) contacts.push(await failedThenSilentlyFixed(email));
    const company = await hubspot.create('companies', { name: '', domain: 'nameless.example.com' });
    const companyId = `hubspot:company:${company.id}`;
    await waitFor(async () => (await status(companyId)).status === 'failed', 'the nameless company to fail');
    await fixSilently(() => hubspot.update('companies', company.id, { name: 'Nameless Ltd' }));
    // Visibility is eventually consistent: the CLI lists what the server's index says.
    const count = async (query: string) => (await stack.client.workflow.count(query)).count;
    await waitFor(
      async () => (await count('SyncStatus="failed"')) === 3 && (await count('CrmSystem="hubspot" AND CrmObject="contact" AND SyncStatus="ok"')) === 3,
      'three failed and three synced HubSpot records in visibility',
    );

    const printed = await runProcess('npm', ['run', '--silent', 'cli', '--', 'status'], operatorEnv(stack.config));
    expect(printed.code).toBe(0);
    const rows = printed.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/));
    expect(rows[0]).toEqual(['system', 'object', 'status', 'count']);
    expect(rows).toContainEqual(['hubspot', 'contact', 'failed', '2']);
    expect(rows).toContainEqual(['hubspot', 'contact', 'ok', '3']);
    expect(rows).toContainEqual(['hubspot', 'company', 'failed', '1']);

    const bulk = await runCli(stack.config, ['retry', '--all-failed', '--object', 'contact']);
    expect(bulk).toMatchObject({ code: 0, stdout: 'retry signalled: 2 failed record(s)\n' });
    for (const [index, workflowId] of contacts.entries()) await expectSynced(workflowId, emails[index] ?? '');
    expect(await status(companyId)).toMatchObject({ status: 'failed', passes: 1 });

    await waitFor(async () => (await count('SyncStatus="failed"')) === 1, 'only the company failed in visibility');
    const all = await runCli(stack.config, ['retry', '--all-failed']);
    expect(all).toMatchObject({ code: 0, stdout: 'retry signalled: 1 failed record(s)\n' });
    await waitFor(async () => (await zoho.records('Accounts')).some((r) => r.Account_Name === 'Nameless Ltd'), 'the company in Zoho');
  });

  test('bad input exits 1 with a message naming what is wrong', async () => {
    const [object, missingId, unknownWorkflow, badKeys, unknownCommand] = await Promise.all([
      runCli(stack.config, ['retry', '--all-failed', '--object', 'order']),
      runCli(stack.config, ['retry']),
      runCli(stack.config, ['retry', 'hubspot:contact:424242']),
      runCli(stack.config, ['status'], { CODEC_KEYS: 'k1:too-short' }),
      runCli(stack.config, ['retyr']),
    ]);
    expect(object).toMatchObject({ code: 1, stdout: '' });
    expect(object.stderr).toContain('--object: expected one of contact, company, deal, got "order"');
    expect(missingId.code).toBe(1);
    expect(missingId.stderr).toContain('give a workflow id');
    expect(unknownWorkflow.code).toBe(1);
    expect(unknownWorkflow.stderr).toMatch(/hubspot:contact:424242/);
    expect(badKeys.code).toBe(1);
    expect(badKeys.stderr).toContain('CODEC_KEYS');
    expect(unknownCommand.code).toBe(1);
    expect(unknownCommand.stderr).toContain('unknown command: retyr');
  });
});
