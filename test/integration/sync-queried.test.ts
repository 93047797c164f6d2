import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../src/codec/data-converter';
import { syncStatusQuery } from '../../src/workflows/messages';
import { patchMarkers } from '../support/patch-markers';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { CURRENT_PATCH_GATE } from '../../src/workflows/patches';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/**
 * Tasks completed early to answer a query while a local activity's result was pending: the task records what it
 * decided so far (markers of the activities done; in runs older than one idle timer, that timer cancelled by the
 * edit's signal), and the workflow gets the pending results only in the next task, which nothing in history triggered.
 */
function tasksSplitByQuery(events: HistoryEvent[]): number {
  const decidedInTask = new Set([EventType.EVENT_TYPE_MARKER_RECORDED, EventType.EVENT_TYPE_TIMER_CANCELED]);
  let split = 0;
  for (let at = 0; at < events.length; at++) {
    if (events[at]?.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) continue;
    let next = at + 1;
    while (decidedInTask.has(events[next]?.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED)) next++;
    if (next > at + 1 && events[next]?.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) split++;
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
  let hubspot: Awaited<ReturnType<typeof startTestStackWithAdmins>>['hubspot'];
  let zoho: Awaited<ReturnType<typeof startTestStackWithAdmins>>['zoho'];

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename, env: { SYNC_COALESCE_MS: '0' } }));
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('replays after a restart, its patches decided in its first task', async () => {
    const contact = await hubspot.create('contacts', { email: 'queried@example.com', firstname: 'Quinn', lastname: 'Query' });
    const handle = stack.client.workflow.getHandle(`hubspot:contact:${contact.id}`);
    let querying = true;
    // Three callers at once keep a query waiting on most workflow tasks, as a busy dashboard would.
    const queries = Array.from({ length: 3 }, async () => {
      while (querying) await handle.query(syncStatusQuery).catch(() => undefined);
    });
    const zohoTitle = async () => (await zoho.records('Contacts')).find((record) => record.Email === 'queried@example.com')?.Title;
    try {
      // Edits go on until a task was split by a query (the case that broke replay), each one synced before the next.
      let edits = 0;
      await waitFor(
        async () => {
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
    }

    const history = await handle.fetchHistory();
    // One marker for every patch the passes ask, in the first task: nothing a local activity resolves can precede it.
    expect(patchMarkers(history.events ?? [])).toEqual([{ id: CURRENT_PATCH_GATE, task: 1 }]);
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' }, dataConverter: createDataConverter(stack.config.codecKeys) }, history);

    // A fresh worker has no cached run: its first query replays the whole history, and the record goes on syncing.
    await stack.restartWorker();
    await expect(handle.query(syncStatusQuery)).resolves.toMatchObject({ status: 'ok' });
    await hubspot.update('contacts', contact.id, { jobtitle: 'After the restart' });
    await waitFor(async () => (await zohoTitle()) === 'After the restart', 'the edit after the restart in Zoho');
  });
});
