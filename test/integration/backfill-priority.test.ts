import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { localCrmActivity } from '../../src/workflows/messages';
import { callsIn, eventMs, JOINED_PASS_CALLS, JOINED_SOURCE_READS } from '../support/history-calls';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { seed, startBackfill } from './backfill-harness';

/**
 * A backfill's calls take the crm-zoho queue and its server-side rate limit, here one task per second. A dozen
 * backfills queue their Zoho calls ahead of a live edit's two; first-in-first-out would make the edit wait for all of
 * them. A live pass makes its calls in local activities of its own workflow task, past the queue.
 */
interface ZohoCall {
  scheduled: number;
  started: number | null;
}

/**
 * Every activity a history scheduled on crm-zoho, with when a worker picked it up (null: still waiting), and every
 * Zoho call it made in a local activity, taken as started when it completed (its marker's own times).
 */
function zohoCalls(events: Awaited<ReturnType<typeof historyOf>>): ZohoCall[] {
  const started = new Map<string, number>();
  for (const event of events) {
    const attributes = event.activityTaskStartedEventAttributes;
    if (attributes) started.set(String(attributes.scheduledEventId), eventMs(event.eventTime));
  }
  const queued = events
    .filter((event) => event.activityTaskScheduledEventAttributes?.taskQueue?.name === 'crm-zoho')
    .map((event) => ({ scheduled: eventMs(event.eventTime), started: started.get(String(event.eventId)) ?? null }));
  // The live pass is the HubSpot record's: its joined calls other than the read of that record (find, write) are Zoho's.
  const toZoho = (activityType: string) => activityType.startsWith(localCrmActivity('zoho', '')) || (JOINED_PASS_CALLS.has(activityType) && !JOINED_SOURCE_READS.has(activityType));
  const local = callsIn(events).flatMap(({ activityType, times }) => (times && toZoho(activityType) ? [{ scheduled: times.scheduled, started: times.completed }] : []));
  return [...queued, ...local];
}

let historyOf: (workflowId: string, runId?: string) => Promise<NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>>;

describe('backfill: live sync comes first on the shared CRM queues', () => {
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  let linked = { hubspotId: '', email: 'first.in.line@example.com' };
  const backfills: WorkflowHandleWithFirstExecutionRunId[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ testFile: __filename, env: { ZOHO_ACTIVITIES_PER_SECOND: '1', HUBSPOT_ACTIVITIES_PER_SECOND: '200' } });
    historyOf = async (workflowId, runId) => (await stack.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    hubspot = hubspotAdmin(stack.hubspot.url);
    zoho = zohoAdmin(stack.zoho.url);
    await seed(stack.zoho.url, { contacts: 200, companies: 0, seed: 9 });
    const created = await hubspot.create('contacts', { email: linked.email, firstname: 'First', lastname: 'InLine' });
    await waitFor(async () => (await zoho.records('Contacts')).some((r) => r.Email === linked.email && r.HubSpot_ID === created.id), 'the live contact in Zoho', 30_000);
    linked = { ...linked, hubspotId: created.id };
  }, 60_000);
  afterAll(async () => {
    await Promise.all(backfills.map((handle) => handle.terminate('test over').catch(() => undefined)));
    await stack?.close();
  });

  test('a live edit overtakes a queue of backfill calls', async () => {
    for (let i = 0; i < 12; i += 1) backfills.push(await startBackfill(stack, { from: 'zoho', object: 'contact', dryRun: true, pageSize: 20 }));
    // Each backfill's first Zoho call is scheduled: a backlog of ~12 s at one call per second.
    await waitFor(async () => {
      const described = await Promise.all(backfills.map((handle) => handle.describe()));
      return described.every((d) => (d.raw.pendingActivities ?? []).length > 0);
    }, 'every backfill waiting on the Zoho queue');

    const edited = Date.now();
    await hubspot.update('contacts', linked.hubspotId, { jobtitle: 'Overtaker' });
    await waitFor(async () => (await zoho.records('Contacts')).find((r) => r.Email === linked.email)?.Title === 'Overtaker', 'the edit in Zoho', 20_000);
    const latency = Date.now() - edited;

    // The edit's Zoho calls started before backfill calls that had been waiting longer: not first-in-first-out.
    // the calls' markers reach history with the workflow task that made them, which may end after Zoho has the edit
    const live = await waitFor(async () => {
      const calls = zohoCalls(await historyOf(`hubspot:contact:${linked.hubspotId}`)).filter((call) => call.scheduled >= edited);
      return calls.length >= 2 ? calls : null;
    }, "the edit's Zoho calls in history");
    const queued = (await Promise.all(backfills.map((handle) => historyOf(handle.workflowId, handle.firstExecutionRunId)))).flatMap(zohoCalls);
    expect(live.length).toBeGreaterThanOrEqual(2);
    const overtaken = live.map((call) => queued.filter((b) => b.scheduled < call.scheduled && (b.started === null || b.started > (call.started ?? 0))).length);
    process.stderr.write(`live edit behind ${queued.length} queued backfill calls at 1 Zoho call/s: ${latency} ms; backfill calls overtaken by each live call: ${overtaken.join(', ')}\n`);
    for (const count of overtaken) expect(count).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
