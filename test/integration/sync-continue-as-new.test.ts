import { syncStatusQuery } from '../../src/workflows/messages';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/** A record's workflow continues as new before its history grows, carrying its state and queued events. */
describe('long-lived record workflows', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ testFile: __filename, env: { SYNC_MAX_PASSES_PER_RUN: '2', SYNC_COALESCE_MS: '0' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('edits keep syncing across continue-as-new, and no queued event is lost', async () => {
    const hubspot = hubspotAdmin(stack.hubspot.url);
    const zoho = zohoAdmin(stack.zoho.url);
    const record = await hubspot.create('contacts', { email: 'can@example.com', firstname: 'Con', lastname: 'Tinue' });
    const zohoTitle = async () => (await zoho.records('Contacts')).find((r) => r.Email === 'can@example.com')?.Title;
    // Sequential edits, each synced, then a burst while the workflow is busy: every run boundary is crossed.
    for (let i = 1; i <= 4; i++) {
      await hubspot.update('contacts', record.id, { jobtitle: `Step ${i}` });
      await waitFor(async () => (await zohoTitle()) === `Step ${i}`, `step ${i} in Zoho`);
    }
    for (let i = 5; i <= 9; i++) await hubspot.update('contacts', record.id, { jobtitle: `Step ${i}` });
    await waitFor(async () => (await zohoTitle()) === 'Step 9', 'the last step in Zoho');

    // Visibility is eventually consistent: wait for the closed runs to be listed as closed (a run can be listed while
    // its continue-as-new is not indexed yet).
    const runs = await waitFor(async () => {
      const found = [];
      for await (const execution of stack.client.workflow.list({ query: `WorkflowId="hubspot:contact:${record.id}"` })) found.push(execution);
      return found.length >= 3 && found.filter((run) => run.status.name === 'CONTINUED_AS_NEW').length >= 2 ? found : null;
    }, 'three runs of the record workflow, two of them continued as new');
    const continued = runs.filter((run) => run.status.name === 'CONTINUED_AS_NEW').length;
    expect(continued).toBeGreaterThanOrEqual(2);
    // A webhook of the burst may still arrive after Step 9 reached Zoho (the pass read the record as it was by then):
    // it is queued, then applied as one more pass, never left behind.
    const handle = stack.client.workflow.getHandle(`hubspot:contact:${record.id}`);
    const status = await waitFor(async () => {
      const now = await handle.query(syncStatusQuery);
      return now.pendingEvents === 0 ? now : null;
    }, 'the queued events applied');
    expect(status).toMatchObject({ status: 'ok', pendingEvents: 0 });
    // Each run that continued as new had done its two passes; the count is carried across runs.
    expect(status.passes).toBeGreaterThanOrEqual(2 * continued);
  });
});
