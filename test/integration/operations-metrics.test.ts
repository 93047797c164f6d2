import pino from 'pino';
import { localCrmActivity, syncStatusQuery } from '../../src/workflows/messages';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { captureRuntimeLogs, startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

const PERSON = { email: 'metrics.person@example.com', firstname: 'Metrodora', lastname: 'Logsworth' };
/** HubSpot refuses this Zoho contact (one-letter top-level domain): a failed sync, logged. */
const REFUSED = { Email: 'refused.metrics@example.c', First_Name: 'Refusia', Last_Name: 'Nokowski', Lead_Status: 'Hot' };

/**
 * Issue #6 points 5 and 6: Prometheus text on the API's /metrics behind the bearer token (ingress, worker and the
 * SDK's own metrics, as `npm start` serves them), and pino JSON logs with workflow ids and without PII or secrets.
 */
describe('metrics and structured logs', () => {
  const apiLines: string[] = [];
  const runtimeLines: string[] = [];
  let stopCapture: () => void;
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  let syncedWorkflowId: string;
  let refusedWorkflowId: string;

  beforeAll(async () => {
    stopCapture = captureRuntimeLogs((line) => runtimeLines.push(line));
    const logger = pino({ level: 'debug' }, { write: (line: string) => void apiLines.push(line) });
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename, metrics: true, logger }));

    const created = await hubspot.create('contacts', PERSON);
    syncedWorkflowId = `hubspot:contact:${created.id}`;
    await waitFor(async () => (await zoho.records('Contacts')).some((r) => r.Email === PERSON.email), 'the contact in Zoho');
    const refused = await zoho.create('Contacts', REFUSED);
    refusedWorkflowId = `zoho:contact:${refused.id}`;
    await waitFor(async () => (await stack.client.workflow.getHandle(refusedWorkflowId).query(syncStatusQuery)).status === 'failed', 'the refused contact to fail');
  });
  afterAll(async () => {
    stopCapture?.();
    await stack?.close();
  });

  const metrics = async (headers: Record<string, string> = { authorization: `Bearer ${stack.config.adminToken}` }) => {
    const response = await fetch(`${stack.apiUrl}/metrics`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  test('GET /metrics needs the admin bearer token', async () => {
    expect((await metrics({})).status).toBe(401);
    expect((await metrics({ authorization: 'Bearer not-the-token' })).status).toBe(401);
    const ok = await metrics();
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain/);
    // Prometheus text format: comments, blank lines, or `name{labels} value`.
    for (const line of ok.text.split('\n')) expect(line).toMatch(/^(#.*|$|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (NaN|[+-]Inf))$/);
  });

  test('webhooks received, accepted and rejected by reason, and signal latency', async () => {
    const before = await metrics();
    const received = sample(before.text, 'crm_sync_webhooks_received_total', { source: 'hubspot' });
    expect(received).toBeGreaterThan(0);
    expect(sample(before.text, 'crm_sync_webhook_events_accepted_total', { source: 'hubspot' })).toBeGreaterThan(0);
    expect(sample(before.text, 'crm_sync_webhook_events_accepted_total', { source: 'zoho' })).toBeGreaterThan(0);
    expect(sample(before.text, 'crm_sync_signal_latency_seconds_count', { source: 'hubspot' })).toBeGreaterThan(0);
    expect(before.text).toMatch(/crm_sync_signal_latency_seconds_bucket\{le="0.1",source="hubspot"\} \d+/);

    const unsigned = await fetch(`${stack.apiUrl}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(unsigned.status).toBe(401);
    const after = await metrics();
    expect(sample(after.text, 'crm_sync_webhooks_rejected_total', { source: 'hubspot', reason: 'invalid signature' })).toBe(1);
    expect(sample(after.text, 'crm_sync_webhooks_received_total', { source: 'hubspot' })).toBeGreaterThanOrEqual((received ?? 0) + 1);
  });

  test('CRM calls by status, 429s and token refreshes from the worker', async () => {
    const text = (await metrics()).text;
    expect(sample(text, 'crm_sync_crm_calls_total', { system: 'hubspot', status: '200' })).toBeGreaterThan(0);
    expect(sample(text, 'crm_sync_crm_calls_total', { system: 'zoho', status: '200' })).toBeGreaterThan(0);
    expect(sample(text, 'crm_sync_token_refreshes_total', { system: 'hubspot', ok: 'true' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_sync_token_refreshes_total', { system: 'zoho', ok: 'true' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_sync_crm_rate_limited_total', { system: 'zoho' }) ?? 0).toBe(0);

    // Every Zoho call answers 429 until the first one has been counted.
    await zoho.faults({ rateLimitRate: 1 });
    try {
      await hubspot.update('contacts', syncedWorkflowId.split(':')[2] ?? '', { jobtitle: 'Rate Limited' });
      await waitFor(async () => (sample((await metrics()).text, 'crm_sync_crm_rate_limited_total', { system: 'zoho' }) ?? 0) >= 1, 'a counted 429');
    } finally {
      await zoho.clearFaults();
    }
    const limited = (await metrics()).text;
    expect(sample(limited, 'crm_sync_crm_calls_total', { system: 'zoho', status: '429' })).toBeGreaterThanOrEqual(1);
    expect(sample(limited, 'crm_sync_crm_call_seconds_count', { system: 'zoho' })).toBeGreaterThan(0);
  });

  test('the SDK’s own metrics, with syncs by outcome, are relayed by /metrics', async () => {
    expect(stack.sdkMetricsAddress).toBeDefined();
    const text = await waitFor(async () => {
      const body = (await metrics()).text;
      return (sample(body, 'crm_sync_syncs', { outcome: 'failed' }) ?? 0) >= 1 ? body : null;
    }, 'crm_sync_syncs in /metrics');
    expect(sample(text, 'crm_sync_syncs', { system: 'zoho', object: 'contact', outcome: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'crm_sync_syncs', { system: 'hubspot', object: 'contact', outcome: 'created' })).toBeGreaterThanOrEqual(1);
    // a live pass calls the CRMs in local activities, each system's under its name
    expect(sample(text, 'temporal_local_activity_execution_latency_count', { activity_type: localCrmActivity('hubspot', 'createRecord') })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'temporal_workflow_task_queue_poll_succeed', { task_queue: 'crm-sync' })).toBeGreaterThan(0);
    expect(sample(text, 'temporal_worker_task_slots_available', { task_queue: 'crm-zoho' })).toBeGreaterThan(0);
  });

  test('logs are pino JSON with workflow ids, and carry no personal data nor secrets', async () => {
    const tokens = await Promise.all([stack.services.store.getToken('hubspot'), stack.services.store.getToken('zoho')]);
    const secrets = [
      ...tokens.flatMap((token) => (token ? [token.accessToken, token.refreshToken] : [])),
      stack.config.adminToken,
      stack.config.hubspot.clientSecret,
      stack.config.zoho.clientSecret,
      stack.config.zoho.channelToken,
      ...Object.values(stack.config.codecKeys.keys),
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const personal = [...Object.values(PERSON), REFUSED.Email, REFUSED.First_Name, REFUSED.Last_Name];
    const all = [...apiLines, ...runtimeLines];
    for (const line of all) {
      for (const value of [...personal, ...secrets]) expect(line.includes(value) ? `${value} in ${line}` : null).toBeNull();
    }
    const entries = runtimeLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(apiLines.map((line) => JSON.parse(line) as Record<string, unknown>).some((e) => e.msg === 'webhook rejected')).toBe(true);

    // Activity and workflow logs name their workflow; here the two records' own.
    const activityLogs = entries.filter((e) => e.activityType !== undefined);
    const workflowLogs = entries.filter((e) => e.sdkComponent === 'workflow' || e.msg === 'Workflow started');
    expect(activityLogs.length).toBeGreaterThan(0);
    expect(workflowLogs.length).toBeGreaterThan(0);
    for (const entry of [...activityLogs, ...workflowLogs]) expect(typeof entry.workflowId).toBe('string');
    expect(activityLogs.some((e) => e.workflowId === syncedWorkflowId && e.msg === 'Activity completed' && e.activityType === localCrmActivity('zoho', 'createRecord'))).toBe(true);
    const failure = workflowLogs.find((e) => e.workflowId === refusedWorkflowId && e.msg === 'record sync failed');
    expect(failure).toMatchObject({ level: 40, category: 'validation', workflowType: 'recordSyncWorkflow' });
    const activityFailure = activityLogs.find((e) => e.workflowId === refusedWorkflowId && e.msg === 'Activity failed');
    expect(activityFailure?.error).toEqual({ type: 'ValidationError', message: expect.stringContaining('invalid email'), nonRetryable: true });
  });
});

/** Every sample of a metric, keyed by its label text. */
function samplesNamed(text: string, name: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const match of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) found[match[1] ?? ''] = Number(match[2]);
  return found;
}

/** The sum of a metric's samples whose labels include all of `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = Object.entries(samplesNamed(text, name)).filter(([labelText]) =>
    Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`)),
  );
  return matching.length === 0 ? undefined : matching.reduce((sum, [, value]) => sum + value, 0);
}
