import type { ParsedMail } from 'mailparser';
import type { FailureReportResult } from '../../src/activities/report-activities';
import { ensureFailureReportSchedule, FAILURE_REPORT_SCHEDULE_ID } from '../../src/temporal/failure-report-schedule';
import { retrySignal, syncStatusQuery } from '../../src/workflows/messages';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * Issue #6 point 1, end to end: real failed syncs, the real Schedule triggered, the real activity mailing through a
 * real SMTP server, and the message parsed as a mail client would.
 */
describe('failure report by e-mail', () => {
  const WEB_UI = 'http://temporal-ui.example:8080';
  let smtp: SmtpCapture;
  let stack: TestStack;
  let hubspot: ReturnType<typeof hubspotAdmin>;
  let zoho: ReturnType<typeof zohoAdmin>;
  const ids = { noLastName: '', badEmail1: '', badEmail2: '', badPhone: '', healthy: '' };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({
      testFile: __filename,
      env: {
        SMTP_URL: smtp.url,
        REPORT_FROM: 'crm-sync <sync@example.org>',
        REPORT_TO: 'ops@example.org,oncall@example.org',
        REPORT_CRON: '17 3 * * *',
        HUBSPOT_PORTAL_ID: '62515',
        TEMPORAL_WEB_URL: WEB_UI,
      },
    }));
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  const schedule = () => stack.client.schedule.getHandle(FAILURE_REPORT_SCHEDULE_ID);

  /** Triggers the Schedule now and returns what its run reported. */
  async function triggerReport(): Promise<FailureReportResult> {
    const before = (await schedule().describe()).info.recentActions.length;
    await schedule().trigger();
    const action = await waitFor(async () => (await schedule().describe()).info.recentActions[before]?.action, 'the triggered report run');
    const handle = stack.client.workflow.getHandle(action.workflow.workflowId, action.workflow.firstExecutionRunId);
    return (await handle.result()) as FailureReportResult;
  }

  const status = (workflowId: string) => stack.client.workflow.getHandle(workflowId).query(syncStatusQuery);
  const failed = async (workflowId: string) => (await status(workflowId)).status === 'failed';

  test('the Schedule exists with the configured cron, and a changed cron updates it', async () => {
    const calendar = (await schedule().describe()).spec.calendars?.[0];
    expect(calendar?.minute).toEqual([{ start: 17, end: 17, step: 1 }]);
    expect(calendar?.hour).toEqual([{ start: 3, end: 3, step: 1 }]);

    await ensureFailureReportSchedule(stack.client, '*/30 * * * *');
    expect((await schedule().describe()).spec.calendars?.[0]?.minute).toEqual([{ start: 0, end: 59, step: 30 }]);
    await ensureFailureReportSchedule(stack.client, stack.config.report.cron);
    expect((await schedule().describe()).spec.calendars?.[0]?.minute).toEqual([{ start: 17, end: 17, step: 1 }]);
  });

  test('no e-mail while nothing has failed', async () => {
    const result = await triggerReport();
    expect(result).toMatchObject({ sent: false, failedRecords: 0, recoveredRecords: 0 });
    expect(smtp.messages).toHaveLength(0);
  });

  let report: ParsedMail;

  test('one e-mail groups the failures by cause, most actionable first, with links and details', async () => {
    // Zoho accepts a one-letter top-level domain, HubSpot refuses it (INVALID_EMAIL): a real cross-CRM data problem.
    const hot = { Lead_Status: 'Hot', First_Name: 'Bad' };
    const [noLastName, healthy, badEmail1, badEmail2, badPhone] = await Promise.all([
      hubspot.create('contacts', { email: 'no.lastname@example.com', firstname: 'Nolan', lastname: '' }),
      hubspot.create('contacts', { email: 'fine@example.com', firstname: 'Fine', lastname: 'Person' }),
      zoho.create('Contacts', { ...hot, Email: 'first.bad@example.c', Last_Name: 'One' }),
      zoho.create('Contacts', { ...hot, Email: 'second.bad@example.c', Last_Name: 'Two' }),
      zoho.create('Contacts', { ...hot, Email: 'phone.bad@example.com', Last_Name: 'Three', Phone: 'call me maybe' }),
    ]);
    Object.assign(ids, { noLastName: noLastName.id, badEmail1: badEmail1.id, badEmail2: badEmail2.id, badPhone: badPhone.id, healthy: healthy.id });
    const poisoned = [`hubspot:contact:${noLastName.id}`, `zoho:contact:${badEmail1.id}`, `zoho:contact:${badEmail2.id}`, `zoho:contact:${badPhone.id}`];
    for (const workflowId of poisoned) await waitFor(() => failed(workflowId), `${workflowId} to fail`);
    await waitFor(async () => (await zoho.records('Contacts')).some((r) => r.Email === 'fine@example.com'), 'the healthy contact in Zoho');

    // A retry of a record that is still wrong fails again: the report counts it twice.
    const noLastNameId = `hubspot:contact:${noLastName.id}`;
    await stack.client.workflow.getHandle(noLastNameId).signal(retrySignal);
    await waitFor(async () => {
      const rows = await stack.services.store.failuresSince(new Date().toISOString());
      return rows.find((row) => row.workflowId === noLastNameId)?.attempts === 2;
    }, 'the retried pass to fail again');

    // Refusals other than bad data (e.g. a missing OAuth scope: permanent, needs an admin) are stored the same way;
    // the simulators cannot produce one on demand, so this one is recorded directly, as the workflow would.
    await stack.services.store.recordFailure({
      ref: { system: 'hubspot', object: 'company', id: '5000777' },
      operation: 'update',
      category: 'permanent',
      message: 'HubSpot update answered 403: missing scope crm.objects.companies.write',
      fields: [],
      workflowId: 'hubspot:company:5000777',
    });

    const result = await triggerReport();
    expect(result).toMatchObject({ sent: true, failedRecords: 5, recoveredRecords: 0 });
    expect(smtp.messages).toHaveLength(1);
    report = smtp.messages[0] as ParsedMail;
    expect(report.from?.text).toBe('"crm-sync" <sync@example.org>');
    expect(report.to && !Array.isArray(report.to) ? report.to.value.map((a) => a.address) : []).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(report.subject).toBe('crm-sync: 5 records failing (4 causes)');

    const text = report.text ?? '';
    const ns = stack.config.temporal.namespace;
    expect(text).toContain(`Every failing record in the Temporal Web UI: ${WEB_UI}/namespaces/${ns}/workflows?query=SyncStatus%3D%22failed%22`);
    // Cause headings with their record counts; the biggest actionable cause first.
    const headings = [...text.matchAll(/^== (.+) ==$/gm)].map((m) => m[1]);
    expect(headings).toHaveLength(4);
    expect(headings[3]).toBe('request refused: 1 record [permanent]');
    expect(headings[0]).toBe('invalid email: 2 records [validation]');
    expect(headings.slice(1, 3).sort()).toEqual([
      'lastName is required (zoho field "Last_Name"): 1 record [validation]',
      'phone is not a phone number in +<country code><number> form (hubspot field "phone"): 1 record [validation]',
    ]);

    // One entry per failed operation: record, link in its CRM, operation, first/last/count, category, message, fields, workflow.
    const entry = entryFor(text, `HubSpot contact ${noLastName.id}`);
    expect(entry).toContain(`HubSpot contact ${noLastName.id} (create)`);
    expect(entry).toContain(`record:   https://app.hubspot.com/contacts/62515/record/0-1/${noLastName.id}`);
    expect(entry).toMatch(/failed: {3}2 times, first \d{4}-\d\d-\d\d \d\d:\d\d UTC, last \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(entry).toMatch(/error: {4}validation: .+/);
    expect(entry).toMatch(/fields: {3}lastName \(is required/);
    expect(entry).toContain(`workflow: ${WEB_UI}/namespaces/${stack.config.temporal.namespace}/workflows/hubspot%3Acontact%3A${noLastName.id}`);
    const zohoEntry = entryFor(text, `Zoho contact ${badPhone.id}`);
    expect(zohoEntry).toContain(`record:   https://crm.zoho.com/crm/tab/Contacts/${badPhone.id}`);
    expect(zohoEntry).toMatch(/failed: {3}1 time, /);
    expect(zohoEntry).toMatch(/fields: {3}phone \(/);
    expect(text).not.toContain(`contact ${healthy.id}`);

    const html = typeof report.html === 'string' ? report.html : '';
    expect(html).toContain(`<a href="https://crm.zoho.com/crm/tab/Contacts/${badEmail1.id}">Zoho contact ${badEmail1.id}</a>`);
    expect(html).toContain(`<a href="https://app.hubspot.com/contacts/62515/record/0-1/${noLastName.id}">HubSpot contact ${noLastName.id}</a>`);
    expect(html).toContain(`<a href="${WEB_UI}/namespaces/${stack.config.temporal.namespace}/workflows/zoho%3Acontact%3A${badPhone.id}">`);
  });

  test('a second run with nothing new sends nothing', async () => {
    const result = await triggerReport();
    expect(result).toMatchObject({ sent: false, failedRecords: 0, recoveredRecords: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  test('a record fixed since the last report gets a "recovered" line', async () => {
    const workflowId = `hubspot:contact:${ids.noLastName}`;
    await hubspot.update('contacts', ids.noLastName, { lastname: 'Fixed' });
    await waitFor(async () => (await status(workflowId)).status === 'ok', `${workflowId} to sync`);

    const result = await triggerReport();
    expect(result).toMatchObject({ sent: true, failedRecords: 0, recoveredRecords: 1 });
    expect(smtp.messages).toHaveLength(2);
    const mail = smtp.messages[1] as ParsedMail;
    expect(mail.subject).toBe('crm-sync: 1 record recovered, no new failures');
    const text = mail.text ?? '';
    expect(text).toContain('== Recovered: 1 record ==');
    expect(text).toMatch(new RegExp(`- HubSpot contact ${ids.noLastName} \\(create\\): recovered \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC after 2 failures \\(validation\\)`));
    // Records still failing were reported last time and did not fail again since: not repeated.
    expect(text).not.toContain(`contact ${ids.badEmail1}`);
    expect(text).not.toContain(`contact ${ids.badPhone}`);
  });
});

/** The lines of one record's entry in the text part. */
function entryFor(text: string, label: string): string {
  const start = text.indexOf(`- ${label} `);
  if (start === -1) throw new Error(`no entry for ${label} in:\n${text}`);
  const next = text.slice(start + 2).search(/\n(- |== |$)/);
  return next === -1 ? text.slice(start) : text.slice(start, start + 2 + next);
}
