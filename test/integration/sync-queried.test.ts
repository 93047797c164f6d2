import { temporal } from '@temporalio/proto';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../src/codec/data-converter';
import { workflowIdFor } from '../../src/domain/records';
import { syncStatusQuery, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/workflows/messages';
import type { recordSyncWorkflow } from '../../src/workflows/record-sync';
import { patchMarkers, stampedGate } from '../support/patch-markers';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { CURRENT_PATCH_GATE } from '../../src/workflows/patch-gates';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;
const CALL_LATENCY_MS = 400;

/**
 * Tasks completed early to answer a query while a local activity's result was pending: the task records what it
 * decided so far (in runs older than one idle timer, the timer the edit's signal cancelled; sometimes the markers of
 * activities done), and the next task, which nothing in history triggered, follows at once. A run nobody queries never
 * shows this: a signal, a timer or an activity comes between its tasks. (A task whose local activities outlast 8 s of
 * its 10 s timeout does the same; this test's passes take 1-3 s.)
 */
function tasksSplitByQuery(events: HistoryEvent[]): number {
  const decidedInTask = new Set([EventType.EVENT_TYPE_MARKER_RECORDED, EventType.EVENT_TYPE_TIMER_CANCELED]);
  let split = 0;
  for (let at = 0; at < events.length; at++) {
    if (events[at]?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) continue;
    let next = at + 1;
    while (decidedInTask.has(events[next]?.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED)) next++;
    if (events[next]?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) split++;
  }
  return split;
}

/**
 * An operator (or the Web UI) querying a record's workflow while it syncs must never make its history unreplayable:
 * replay then fails on the next query after a restart, and the record stops syncing. CI once saw exactly that
 * (a nondeterminism error for a patch asked right after a local activity).
 */
describe('a record workflow queried while it syncs', () => {
  let stack: TestStack;
  // the query loops stop before the stack closes, whatever ended the test: one left running sends into a closed channel
  let querying = false;
  let hubspot: Awaited<ReturnType<typeof startTestStackWithAdmins>>['hubspot'];
  let zoho: Awaited<ReturnType<typeof startTestStackWithAdmins>>['zoho'];

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename, env: { SYNC_COALESCE_MS: '0' } }));
  });
  afterAll(async () => {
    querying = false;
    await stack?.close();
  });

  // Pairs of edits go on until a query splits a task (in the first or second pair in every run so far): that wait's
  // own bound (120 s) and the restart after it must fit in the test's time, which jest's default (60 s) cut short.
  test('replays after a restart, its patches decided by the gate stamped at its start', async () => {
    const contact = await hubspot.create('contacts', { email: 'queried@example.com', firstname: 'Quinn', lastname: 'Query' });
    const handle = stack.client.workflow.getHandle(`hubspot:contact:${contact.id}`);
    querying = true;
    // Three callers at once keep a query waiting on most workflow tasks, as a busy dashboard would.
    const queries = Array.from({ length: 3 }, async () => {
      while (querying) await handle.query(syncStatusQuery).catch(() => undefined);
    });
    const zohoTitle = async () => (await zoho.records('Contacts')).find((record) => record.Email === 'queried@example.com')?.Title;
    await waitFor(async () => (await zohoTitle()) !== undefined, 'the contact in Zoho');
    // The server holds a query that arrives while a workflow task runs, and hands it to the next task, if there is one.
    // So a second edit lands while the first one's pass waits on a slow CRM call (the pass's calls are local
    // activities inside its task): the task after it carries both the edit and the held queries, and its pass's first
    // local activity is still pending when the queries are answered. Without the slow calls and the second edit this
    // happened at random, and in a CI run not once in 120 s of edits.
    await Promise.all([hubspot.faults({ latencyMs: CALL_LATENCY_MS }), zoho.faults({ latencyMs: CALL_LATENCY_MS })]);
    try {
      let edits = 0;
      await waitFor(
        async () => {
          await hubspot.resetStats();
          await hubspot.update('contacts', contact.id, { jobtitle: `Edit ${++edits}` });
          await waitFor(async () => (await hubspot.stats()).requests.total > 0, `the pass of edit ${edits} calling HubSpot`, 30_000, 20);
          const title = `Edit ${++edits}`;
          await hubspot.update('contacts', contact.id, { jobtitle: title });
          await waitFor(async () => (await zohoTitle()) === title, `${title} in Zoho`);
          return tasksSplitByQuery((await handle.fetchHistory()).events ?? []) > 0;
        },
        'a workflow task completed early to answer a query',
        120_000,
        0,
      );
    } finally {
      querying = false;
      await Promise.all(queries);
      await Promise.all([hubspot.clearFaults(), zoho.clearFaults()]);
    }

    const history = await handle.fetchHistory();
    // Its patches follow the gate the ingress stamped into its input: no marker at all, so none a local activity precedes.
    const dataConverter = createDataConverter(stack.config.codecKeys);
    expect(patchMarkers(history.events ?? [])).toEqual([]);
    expect(await stampedGate(history.events ?? [], dataConverter)).toBe(CURRENT_PATCH_GATE);
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' }, dataConverter }, history);

    // A fresh worker has no cached run: its first query replays the whole history, and the record goes on syncing.
    await stack.restartWorker();
    await expect(handle.query(syncStatusQuery)).resolves.toMatchObject({ status: 'ok' });
    await hubspot.update('contacts', contact.id, { jobtitle: 'After the restart' });
    await waitFor(async () => (await zohoTitle()) === 'After the restart', 'the edit after the restart in Zoho');
  }, 240_000);

  test('a run stamped with a gate its workers do not know waits for one that does, and calls nothing meanwhile', async () => {
    const ref = { system: 'hubspot', object: 'contact', id: 'from-a-newer-ingress' } as const;
    const handle = await stack.client.workflow.start<typeof recordSyncWorkflow>(WORKFLOW_TYPES.recordSync, {
      workflowId: workflowIdFor(ref),
      taskQueue: TASK_QUEUES.sync,
      args: [{ ref, options: { coalesceMs: 0, idleTimeoutMs: 60_000, maxPassesPerRun: 50 }, pending: [{ kind: 'change', occurredAt: Date.now() }], gate: 'patches-decided-at-start-999' }],
    });
    try {
      const failedTask = async () => (await handle.fetchHistory()).events?.find((event) => event.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes;
      await waitFor(async () => (await failedTask()) !== undefined, 'the run\'s first workflow task failed');
      // the task fails, not the run: the server offers it again, to a worker with newer code once one polls
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.some((event) => event.markerRecordedEventAttributes || event.activityTaskScheduledEventAttributes)).toBe(false);
      // its reason, as the Web UI shows it through the codec
      const error = await decodeOptionalFailureToOptionalError(loadDataConverter(createDataConverter(stack.config.codecKeys)), (await failedTask())?.failure);
      expect(error?.message).toContain('patches-decided-at-start-999');
    } finally {
      await handle.terminate('test over');
    }
  });
});
