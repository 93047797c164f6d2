import type { temporal } from '@temporalio/proto';
import { eventMs } from '../support/history-calls';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const IDLE_MS = 3_000;

/**
 * A record's run stays open while its record is edited and completes once it has been idle for SYNC_IDLE_TIMEOUT_MS
 * after its last pass, with one timer per idle period: edits neither cancel nor restart it.
 */
describe('an open record run and its idle timer', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ testFile: __filename, env: { SYNC_IDLE_TIMEOUT_MS: String(IDLE_MS), SYNC_COALESCE_MS: '0' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('edits share one timer; a timer that fires early is followed by one for the rest; the run completes idle', async () => {
    const hubspot = hubspotAdmin(stack.hubspot.url);
    const zoho = zohoAdmin(stack.zoho.url);
    const email = `idle.${Date.now()}@example.com`;
    const record = await hubspot.create('contacts', { email, firstname: 'Ida', lastname: 'Idle' });
    const zohoTitle = async () => (await zoho.records('Contacts')).find((r) => r.Email === email)?.Title;
    await waitFor(async () => (await zoho.records('Contacts')).some((r) => r.Email === email), 'the contact in Zoho');
    const handle = stack.client.workflow.getHandle(`hubspot:contact:${record.id}`);
    const runs = new Set<string>();
    const historyOf = async (runId: string) => (await stack.client.workflow.getHandle(handle.workflowId, runId).fetchHistory()).events ?? [];

    // Edited one edit after another, each synced before the next: the passes come closer together than the timeout,
    // so the run's first timer fires while it is not yet idle, and the run must go on.
    let step = 0;
    await waitFor(
      async () => {
        step++;
        await hubspot.update('contacts', record.id, { jobtitle: `Step ${step}` });
        await waitFor(async () => (await zohoTitle()) === `Step ${step}`, `step ${step} in Zoho`);
        const { runId } = await handle.describe();
        runs.add(runId);
        return timersOf(await historyOf(runId)).restartedAfterFiring;
      },
      'a timer that fired before the run was idle, and the timer for the rest',
      60_000,
    );

    await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', 'the run completed once idle', 30_000);
    runs.add((await handle.describe()).runId);
    for (const runId of runs) {
      const events = await historyOf(runId);
      const timers = timersOf(events);
      expect(timers.cancelled).toBe(0);
      expect(timers.started).toBe(timers.fired);
      // one timer per run started by a task an edit brought; every other one by a task its predecessor's firing brought
      expect(timers.startedByEdits).toBe(1);
      // completed no sooner than the timeout after the task of its last pass
      const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes);
      if (completed) expect(eventMs(completed.eventTime) - timers.lastPassTask).toBeGreaterThanOrEqual(IDLE_MS);
    }
  });
});

/**
 * A run's idle timers: how many were started, fired and cancelled, how many of them a task started that no firing
 * brought (an edit's), whether one was started after another fired, and when the task of the run's last pass started
 * (a task that recorded local activities: a live pass's calls are local), the workflow's clock there.
 */
function timersOf(events: readonly HistoryEvent[]) {
  let started = 0;
  let fired = 0;
  let cancelled = 0;
  let startedByEdits = 0;
  let restartedAfterFiring = false;
  let lastPassTask = 0;
  let taskStarted = 0;
  let firedBeforeTask = false;
  let taskAfterFiring = false;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) {
      taskStarted = eventMs(event.eventTime);
      taskAfterFiring = firedBeforeTask;
      firedBeforeTask = false;
    }
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') lastPassTask = taskStarted;
    if (event.timerStartedEventAttributes) {
      if (taskAfterFiring) restartedAfterFiring = true;
      else startedByEdits++;
      started++;
    }
    if (event.timerFiredEventAttributes) {
      fired++;
      firedBeforeTask = true;
    }
    if (event.timerCanceledEventAttributes) cancelled++;
  }
  return { started, fired, cancelled, startedByEdits, restartedAfterFiring, lastPassTask };
}
