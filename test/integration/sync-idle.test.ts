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
    let passes = 0;
    for (const runId of runs) {
      const events = await historyOf(runId);
      const timers = timersOf(events);
      passes += timers.passes;
      expect(timers.cancelled).toBe(0);
      expect(timers.started).toBe(timers.fired);
      // a timer after the first needs a pass since the one before: timers never outnumber passes
      expect(timers.started).toBeLessThanOrEqual(timers.passes);
      // completed no sooner than the timeout after the task of its last pass
      const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes);
      if (completed) expect(eventMs(completed.eventTime) - timers.lastPassTask).toBeGreaterThanOrEqual(IDLE_MS);
    }
    expect(passes).toBeGreaterThanOrEqual(step);
  });
});

/**
 * A run's idle timers, its passes (a workflow task that recorded local activities: every live pass's calls are local)
 * and when the task of its last pass started (the workflow's own clock in that task).
 */
function timersOf(events: readonly HistoryEvent[]) {
  let started = 0;
  let fired = 0;
  let cancelled = 0;
  let restartedAfterFiring = false;
  let passes = 0;
  let lastPassTask = 0;
  let taskStarted = 0;
  let taskHadMarker = false;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) {
      taskStarted = eventMs(event.eventTime);
      taskHadMarker = false;
    }
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity' && !taskHadMarker) {
      taskHadMarker = true;
      passes++;
      lastPassTask = taskStarted;
    }
    if (event.timerStartedEventAttributes) {
      if (fired > 0 && started === fired) restartedAfterFiring = true;
      started++;
    }
    if (event.timerFiredEventAttributes) fired++;
    if (event.timerCanceledEventAttributes) cancelled++;
  }
  return { started, fired, cancelled, restartedAfterFiring, passes, lastPassTask };
}
