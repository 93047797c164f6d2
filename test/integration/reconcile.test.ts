import { ScheduleNotFoundError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { BackfillInput } from '../../src/domain/backfill-input';
import type { ReconcileInput, ReconcileResult } from '../../src/domain/reconcile';
import { workflowIdFor } from '../../src/domain/records';
import { fetchSdkMetrics } from '../../src/runtime/temporal-runtime';
import { enabledSystems, objectsOf } from '../../src/systems/registry';
import type { AppConfig } from '../../src/config';
import { ensureReconcileSchedules, reconcileScheduleId } from '../../src/temporal/reconcile-schedules';
import { settle } from '../support/settle';
import type { hubspotAdmin, HubspotRecord, zohoAdmin } from '../support/sim-client';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { backfillReachQuery, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/workflows/messages';
import type { reconcile } from '../../src/workflows/reconcile';

const INTERVAL_MS = 3000;
/** Each window ends this long before its run starts: changes younger than that are left to their events. */
const SETTLE_MS = 1000;
/** Time for one run to list the page and for the record's pass to write the other side, on a busy 2-core machine. */
const PASS_ALLOWANCE_MS = 6000;

/**
 * Events that never arrive: Zoho delivers each notification once (no retries, as its documentation describes) and the
 * simulators drop every outbound event under test; reconciliation, polling every 3 s, still brings each change over.
 */
describe('reconciliation', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({
      testFile: __filename,
      zoho: { notifyRetries: 0 },
      env: { RECONCILE_INTERVAL: `${INTERVAL_MS}ms`, RECONCILE_OVERLAP: '2s', RECONCILE_SETTLE: `${SETTLE_MS}ms` },
    }));
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(async () => {
    await Promise.all([hubspot.clearFaults(), zoho.clearFaults()]);
  });

  const hubspotContactByEmail = async (email: string) => (await hubspot.records('contacts')).find((r) => r.properties.email === email && !r.archived);
  const zohoContactByEmail = async (email: string) => (await zoho.records('Contacts')).find((r) => r.Email === email && r.$deleted === undefined);

  /** HubSpot's search shows a write a moment later: a run started before then would not list these contacts. */
  async function inHubspotSearch(contacts: readonly HubspotRecord[]): Promise<void> {
    const since = String(Date.now() - 60_000);
    await waitFor(async () => {
      const listed = (await stack.connectors.hubspot.listPage('contact', { modifiedAfter: since, limit: 100 })).records.map((r) => r.ref.id);
      return contacts.every((contact) => listed.includes(contact.id));
    }, 'the new contacts in the search index');
  }

  /** A hot contact made in Zoho and linked while events still flow. */
  async function linkedContact(email: string): Promise<{ zohoId: string; hubspotId: string }> {
    const created = await zoho.create('Contacts', { Email: email, First_Name: 'Rec', Last_Name: 'Onciled', Lead_Status: 'Hot' });
    const inHubspot = await waitFor(async () => {
      const record = await hubspotContactByEmail(email);
      return record?.properties.zoho_record_id === created.id ? record : null;
    }, 'the contact linked in HubSpot');
    await settle(hubspot, zoho);
    return { zohoId: created.id, hubspotId: inHubspot.id };
  }

  test('a Zoho change whose only notification is dropped reaches HubSpot within one interval after it settled', async () => {
    const { zohoId } = await linkedContact('dropped-zoho@example.com');
    await zoho.faults({ webhookDropRate: 1 });
    const editedAt = Date.now();
    await zoho.update('Contacts', zohoId, { Title: 'Caught in Zoho' });
    await waitFor(async () => (await hubspotContactByEmail('dropped-zoho@example.com'))?.properties.jobtitle === 'Caught in Zoho', 'the Zoho edit in HubSpot');
    expect(Date.now() - editedAt).toBeLessThan(SETTLE_MS + INTERVAL_MS + PASS_ALLOWANCE_MS);
    expect((await zoho.stats()).webhooks.dropped).toBeGreaterThanOrEqual(1);
  });

  test('a HubSpot edit and a HubSpot create whose webhooks are never delivered reach Zoho', async () => {
    const { hubspotId } = await linkedContact('dropped-hubspot@example.com');
    await hubspot.faults({ webhookDropRate: 1 });
    const editedAt = Date.now();
    await hubspot.update('contacts', hubspotId, { jobtitle: 'Caught in HubSpot' });
    // never synced at all: no entity, so reconciliation hands it over too
    const unannounced = await hubspot.create('contacts', { email: 'never-announced@example.com', firstname: 'Nev', lastname: 'Er' });
    await waitFor(async () => (await zohoContactByEmail('dropped-hubspot@example.com'))?.Title === 'Caught in HubSpot', 'the HubSpot edit in Zoho');
    await waitFor(() => zohoContactByEmail('never-announced@example.com'), 'the unannounced HubSpot contact in Zoho');
    expect(Date.now() - editedAt).toBeLessThan(SETTLE_MS + INTERVAL_MS + PASS_ALLOWANCE_MS);
    // a run can hand over thousands at once: they take the load lane, behind people's edits
    const handedOver = await stack.client.workflow.getHandle(workflowIdFor({ system: 'hubspot', object: 'contact', id: unannounced.id })).describe();
    expect(handedOver.taskQueue).toBe(TASK_QUEUES.syncLoad);
    expect((await hubspot.stats()).webhooks.dropped).toBeGreaterThanOrEqual(2);
  });

  test('what it caught is counted: crm_sync_reconciled_total and the failure report period', async () => {
    expect(await stack.services.store.reconciledSince(new Date(0).toISOString())).toBeGreaterThanOrEqual(3);
    expect(stack.sdkMetricsAddress).toBeDefined();
    const text = await waitFor(async () => {
      const body = await fetchSdkMetrics(stack.sdkMetricsAddress ?? '');
      return /^crm_sync_reconciled_total\{[^}]*system="hubspot"[^}]*\} [1-9]/m.test(body) ? body : null;
    }, 'crm_sync_reconciled_total in the SDK metrics');
    expect(text).toMatch(/^crm_sync_reconciled_total\{[^}]*system="zoho"[^}]*\} [1-9]/m);
  });

  test('with everything in sync, runs hand over nothing and cost no write', async () => {
    await settle(hubspot, zoho);
    await Promise.all([hubspot.resetStats(), zoho.resetStats()]);
    const since = Date.now();
    const results = await Promise.all(reconcileTargets(stack.config).map((target) => runsSince(stack, reconcileScheduleId(target), since, 2)));
    for (const runs of results) for (const run of runs) expect(run.caught).toBe(0);
    // each run listed its window; records listed were all in sync with their links
    expect(results.flat().some((run) => run.listed > 0)).toBe(true);
    const [hubspotStats, zohoStats] = await Promise.all([hubspot.stats(), zoho.stats()]);
    expect(hubspotStats.writes).toBe(0);
    expect(zohoStats.writes).toBe(0);
  });

  test('a Schedule per registered system and object at the configured interval; an interval of 0 deletes them', async () => {
    const targets = reconcileTargets(stack.config);
    for (const target of targets) {
      const described = await stack.client.schedule.getHandle(reconcileScheduleId(target)).describe();
      expect(described.spec.intervals?.[0]?.every).toBe(INTERVAL_MS);
    }
    await ensureReconcileSchedules(stack.client, targets, { intervalMs: 0, overlapMs: 0 });
    for (const target of targets) {
      await expect(stack.client.schedule.getHandle(reconcileScheduleId(target)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    }
  });

  // After the Schedules are gone, so that only this run can catch the records.
  test('a window of many pages is listed over several runs (continue-as-new), and every record in it is handed over', async () => {
    await hubspot.faults({ webhookDropRate: 1 });
    const emails = ['paged-1@example.com', 'paged-2@example.com', 'paged-3@example.com'];
    const created: HubspotRecord[] = [];
    for (const email of emails) created.push(await hubspot.create('contacts', { email, firstname: 'Pa', lastname: 'Ged' }));
    await inHubspotSearch(created);
    const input: ReconcileInput = { system: 'hubspot', object: 'contact', overlapMs: 2000, intervalMs: INTERVAL_MS, pageSize: 1, maxPagesPerRun: 1 };
    const run = await stack.client.workflow.start<typeof reconcile>(WORKFLOW_TYPES.reconcile, { workflowId: 'reconcile:paged', taskQueue: TASK_QUEUES.sync, args: [input] });
    const result = await run.result();
    expect(result.caught).toBeGreaterThanOrEqual(emails.length);
    expect((await stack.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
    for (const email of emails) await waitFor(() => zohoContactByEmail(email), `${email} in Zoho`);
  });

  // After the Schedules are gone too: only these runs can hand the contact over.
  test('a change younger than the settle time is left to its event, and the next run hands it over', async () => {
    await hubspot.faults({ webhookDropRate: 1 });
    const target = { system: 'hubspot' as const, object: 'contact' as const };
    const young = await hubspot.create('contacts', { email: 'settling@example.com', firstname: 'Set', lastname: 'Tling' });
    await inHubspotSearch([young]);
    const run = async (workflowId: string, settleMs: number) =>
      (await stack.client.workflow.start<typeof reconcile>(WORKFLOW_TYPES.reconcile, { workflowId, taskQueue: TASK_QUEUES.sync, args: [{ ...target, overlapMs: 2000, intervalMs: INTERVAL_MS, settleMs }] })).result();
    const youngWorkflow = () => stack.client.workflow.getHandle(workflowIdFor({ ...target, id: young.id })).describe();

    expect((await run('reconcile:settling-1', 60_000)).caught).toBe(0);
    await expect(youngWorkflow()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await run('reconcile:settling-2', 0)).caught).toBeGreaterThanOrEqual(1);
    expect((await youngWorkflow()).workflowId).toBe(workflowIdFor({ ...target, id: young.id }));
    await waitFor(() => zohoContactByEmail('settling@example.com'), 'the contact in Zoho');
  });

  // After the Schedules are gone too: a scheduled run would hand the new contacts over before the backfill starts.
  test('records a running backfill will still list are left to it, and the rest of the window is handed over', async () => {
    const target = { system: 'hubspot' as const, object: 'contact' as const };
    let backfill: WorkflowHandle | undefined;
    try {
      await hubspot.faults({ webhookDropRate: 1 });
      const [outside, first, second] = [
        await hubspot.create('contacts', { email: 'outside-backfill@example.com', firstname: 'Out', lastname: 'Side' }),
        await hubspot.create('contacts', { email: 'ahead-1@example.com', firstname: 'Ahead', lastname: 'One' }),
        await hubspot.create('contacts', { email: 'ahead-2@example.com', firstname: 'Ahead', lastname: 'Two' }),
      ];
      await inHubspotSearch([outside, first, second]);
      // from the second contact on, and so slow (0.01 requests/s) that it lists nothing during the test
      const input: BackfillInput = { from: 'hubspot', object: 'contact', idFrom: first.id, maxRps: 0.01 };
      backfill = await stack.client.workflow.start(WORKFLOW_TYPES.backfill, { workflowId: 'backfill:reach', taskQueue: TASK_QUEUES.sync, args: [input] });
      await waitFor(async () => ((await backfill?.query(backfillReachQuery).catch(() => null))?.willSync ? true : null), 'the backfill under way');
      await waitFor(async () => {
        for await (const execution of stack.client.workflow.list({ query: `WorkflowId = 'backfill:reach' AND ExecutionStatus = 'Running'` })) return execution;
        return null;
      }, 'the backfill in the visibility store');

      const run: ReconcileInput = { ...target, overlapMs: 2000, intervalMs: INTERVAL_MS };
      const handle = await stack.client.workflow.start<typeof reconcile>(WORKFLOW_TYPES.reconcile, { workflowId: 'reconcile:beside-backfill', taskQueue: TASK_QUEUES.sync, args: [run] });
      const result = await handle.result();
      expect(result.leftToBackfills).toBeGreaterThanOrEqual(2);
      expect(result.caught).toBeGreaterThanOrEqual(1);
      const workflowOf = (id: string) => stack.client.workflow.getHandle(workflowIdFor({ ...target, id })).describe();
      expect((await workflowOf(outside.id)).workflowId).toBe(workflowIdFor({ ...target, id: outside.id }));
      for (const ahead of [first, second]) await expect(workflowOf(ahead.id)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    } finally {
      await backfill?.terminate('test done');
    }
  });
});

function reconcileTargets(config: AppConfig) {
  return enabledSystems(config).flatMap((system) => objectsOf(system).map((object) => ({ system: system.name, object })));
}

/** The results of the first `count` runs the Schedule started after `since`. */
async function runsSince(stack: TestStack, scheduleId: string, since: number, count: number): Promise<ReconcileResult[]> {
  const handle = stack.client.schedule.getHandle(scheduleId);
  const actions = await waitFor(async () => {
    const recent = (await handle.describe()).info.recentActions.filter((action) => action.takenAt.getTime() > since);
    return recent.length >= count ? recent.slice(0, count) : null;
  }, `${count} runs of ${scheduleId}`, 30_000, 200);
  return Promise.all(
    actions.map((action) => {
      const { workflowId, firstExecutionRunId } = action.action.workflow;
      return stack.client.workflow.getHandle(workflowId, undefined, { firstExecutionRunId }).result() as Promise<ReconcileResult>;
    }),
  );
}
