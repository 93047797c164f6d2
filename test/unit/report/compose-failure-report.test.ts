import type { RecordRef } from '../../../src/domain/records';
import { composeFailureReport } from '../../../src/report/compose';
import type { ReportOptions, ReportSystem } from '../../../src/report/types';
import type { FailureRow } from '../../../src/store/types';
import { hubspotRecordUrl } from '../../../src/systems/hubspot/record-url';
import { zohoRecordUrl } from '../../../src/systems/zoho/record-url';

/** The two systems as the worker describes them to the report (reportSystems), with a HubSpot portal id or none. */
function systems(portalId: string | undefined, zohoCrmUrl = 'https://crm.zoho.com/crm'): ReportSystem[] {
  return [
    { name: 'hubspot', label: 'HubSpot', recordUrl: (object, id) => hubspotRecordUrl(portalId, object, id, 'https://app.hubspot.com') },
    { name: 'zoho', label: 'Zoho', recordUrl: (object, id) => zohoRecordUrl(object, id, zohoCrmUrl) },
  ];
}

const options: ReportOptions = {
  webUiBaseUrl: 'http://localhost:8233/',
  namespace: 'default',
  systems: systems('4242'),
  now: new Date('2026-11-03T08:00:00Z'),
};

function failure(ref: RecordRef, overrides: Partial<FailureRow> = {}): FailureRow {
  return {
    ref,
    operation: 'update',
    category: 'validation',
    message: 'Property values were not valid',
    fields: [{ field: 'email', reason: 'invalid email' }],
    workflowId: `${ref.system}:${ref.object}:${ref.id}`,
    firstFailedAt: '2026-11-02T09:00:00Z',
    lastFailedAt: '2026-11-03T07:30:00Z',
    attempts: 3,
    recoveredAt: null,
    ...overrides,
  };
}

const hsContact = (id: string): RecordRef => ({ system: 'hubspot', object: 'contact', id });
const zohoAccount = (id: string): RecordRef => ({ system: 'zoho', object: 'company', id });

function compose(rows: FailureRow[], extra: Partial<ReportOptions> = {}) {
  const report = composeFailureReport(rows, { ...options, ...extra });
  if (!report) throw new Error('expected a report');
  return report;
}

describe('composeFailureReport', () => {
  it('returns null when nothing is open and nothing recovered', () => {
    expect(composeFailureReport([], options)).toBeNull();
  });

  it('says how many records reconciliation caught, and reports them even when nothing failed', () => {
    const report = compose([], { caughtByReconciliation: 3 });
    expect(report.text).toContain('caught by reconciliation: 3');
    expect(report.html).toContain('caught by reconciliation: 3');
    expect(compose([failure(hsContact('7'))]).text).toContain('caught by reconciliation: 0');
  });

  it('counts dead-lettered messages per system with their reasons, most frequent first, and reports them alone too', () => {
    const letter = (reason: string, system = 'shop') => ({ system, queue: 'crm-sync.shop.events', messageId: null, key: reason, reason, deadLetteredAt: '2026-11-03T07:00:00.000Z' });
    const report = compose([], { deadLetters: [letter('invalid JSON'), letter('breaks the contract: type: <x>'), letter('invalid JSON')] });
    expect(report.text).toContain('dead-lettered shop messages: 3\n  - invalid JSON (2 messages)\n  - breaks the contract: type: <x> (1 message)');
    expect(report.html).toContain('<p>dead-lettered shop messages: 3</p><ul>\n<li>invalid JSON (2 messages)</li>');
    expect(report.html).toContain('type: &lt;x&gt;');
    expect(compose([failure(hsContact('7'))]).text).not.toContain('dead-lettered');
  });

  it('groups by category and first field reason, counting distinct records', () => {
    const report = compose([
      failure(hsContact('101')),
      failure(hsContact('101'), { operation: 'create' }),
      failure(hsContact('102'), { fields: [{ field: 'email', reason: 'Invalid  Email' }] }),
      failure(zohoAccount('9001'), { fields: [{ field: 'Website', reason: 'invalid' }] }),
    ]);
    expect(report.text).toContain('== invalid email: 2 records [validation] ==');
    expect(report.text).toContain('== invalid (Website): 1 record [validation] ==');
    expect(report.subject).toBe('crm-sync: 3 records failing (2 causes)');
    expect(report.text).toContain('- HubSpot contact 101 (create)');
    expect(report.text).toContain('- HubSpot contact 101 (update)');
  });

  it('groups our validation reasons without the quoted value, and reads CRM codes as words', () => {
    const report = compose([
      failure(hsContact('1'), { fields: [{ field: 'phone', reason: '"call me" is not a phone number (HubSpot property "phone")' }] }),
      failure(hsContact('2'), { fields: [{ field: 'phone', reason: '"12\\"3" is not a phone number (HubSpot property "phone")' }] }),
      failure(hsContact('3'), { fields: [{ field: 'email', reason: 'INVALID_EMAIL' }] }),
      failure(hsContact('4'), { fields: [{ field: 'lastName', reason: 'is required (Zoho field "Last_Name")' }] }),
    ]);
    const headings = report.text.split('\n').filter((line) => line.startsWith('== '));
    expect(headings).toEqual([
      '== phone is not a phone number (HubSpot property "phone"): 2 records [validation] ==',
      '== invalid email: 1 record [validation] ==',
      '== lastName is required (Zoho field "Last_Name"): 1 record [validation] ==',
    ]);
    expect(report.text).toContain('fields:   phone ("call me" is not a phone number (HubSpot property "phone"))');
  });

  it('lists actionable causes before auth/permanent and those before transient ones', () => {
    const transient = ['1', '2', '3'].map((id) =>
      failure(hsContact(`t${id}`), { category: 'transient', fields: [], message: 'socket hang up' }),
    );
    const report = compose([
      ...transient,
      failure(zohoAccount('a1'), { category: 'auth', fields: [], message: 'invalid oauth token' }),
      failure(zohoAccount('p1'), { category: 'permanent', fields: [], message: 'missing scope' }),
      failure(hsContact('v1')),
      failure(hsContact('c1'), { category: 'conflict', fields: [], message: 'exists' }),
    ]);
    const headings = report.text.split('\n').filter((line) => line.startsWith('== '));
    expect(headings).toEqual([
      '== invalid email: 1 record [validation] ==',
      '== duplicate record: 1 record [conflict] ==',
      '== authentication failed: 1 record [auth] ==',
      '== request refused: 1 record [permanent] ==',
      '== temporary errors: 3 records [transient] ==',
    ]);
  });

  it('shows every detail of a failed operation, with CRM and workflow links', () => {
    const report = compose([
      failure(hsContact('101'), { fields: [{ field: 'email', reason: 'invalid email' }, { field: 'phone', reason: 'too long' }] }),
      failure({ system: 'hubspot', object: 'company', id: '77' }, { operation: 'link', category: 'not_found', fields: [] }),
      failure({ system: 'zoho', object: 'contact', id: '5550001' }, { operation: 'delete', category: 'permanent', fields: [] }),
      failure(zohoAccount('9001'), { operation: 'create', category: 'permanent', fields: [] }),
    ]);
    expect(report.text).toContain(
      [
        '- HubSpot contact 101 (update)',
        '    record:   https://app.hubspot.com/contacts/4242/record/0-1/101',
        '    failed:   3 times, first 2026-11-02 09:00 UTC, last 2026-11-03 07:30 UTC',
        '    error:    validation: Property values were not valid',
        '    fields:   email (invalid email), phone (too long)',
        '    workflow: http://localhost:8233/namespaces/default/workflows/hubspot%3Acontact%3A101',
      ].join('\n'),
    );
    expect(report.text).toContain('https://app.hubspot.com/contacts/4242/record/0-2/77');
    expect(report.text).toContain('https://crm.zoho.com/crm/tab/Contacts/5550001');
    expect(report.text).toContain('https://crm.zoho.com/crm/tab/Accounts/9001');
    expect(report.html).toContain('<a href="https://app.hubspot.com/contacts/4242/record/0-1/101">HubSpot contact 101</a>');
    expect(report.html).toContain(
      '<a href="http://localhost:8233/namespaces/default/workflows/zoho%3Acompany%3A9001">workflow in Temporal</a>',
    );
  });

  it('leaves HubSpot records unlinked when no portal id is configured', () => {
    const report = compose([failure(hsContact('101'))], { systems: systems(undefined, 'https://crm.zoho.eu/crm/org1') });
    expect(report.text).not.toContain('record:');
    expect(report.html).not.toContain('app.hubspot.com');
  });

  it('has a recovered section and never calls a record that fails again recovered', () => {
    const report = compose([
      failure(hsContact('101')),
      failure(zohoAccount('9001'), { category: 'transient', attempts: 2, recoveredAt: '2026-11-03T06:00:00Z' }),
      failure(hsContact('101'), { operation: 'create', recoveredAt: '2026-11-02T10:00:00Z' }),
    ]);
    expect(report.subject).toBe('crm-sync: 1 record failing (1 cause), 1 recovered');
    expect(report.text).toContain('== Recovered: 1 record ==');
    expect(report.text).toContain('- Zoho company 9001 (update): recovered 2026-11-03 06:00 UTC after 2 failures (transient)');
    expect(report.text).not.toContain('HubSpot contact 101 (create)');
  });

  it('reports recoveries alone when nothing is failing', () => {
    const report = compose([failure(hsContact('101'), { recoveredAt: '2026-11-03T06:00:00Z' })]);
    expect(report.subject).toBe('crm-sync: 1 record recovered, no new failures');
    expect(report.text).not.toContain('invalid email:');
  });

  it('escapes CRM-supplied text in the HTML and keeps it verbatim in the text part', () => {
    const report = compose([
      failure(hsContact('<b>1</b>'), {
        message: 'bad value <script>alert("x")</script> & more',
        fields: [{ field: '"><img src=x>', reason: "it's <i>wrong</i>" }],
        workflowId: 'wf"onmouseover="alert(1)',
      }),
    ]);
    expect(report.html).not.toMatch(/<script|<img|<i>|<b>1|"onmouseover/);
    expect(report.html).toContain('bad value &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(report.html).toContain('it&#39;s &lt;i&gt;wrong&lt;/i&gt;');
    expect(report.html).toContain('/record/0-1/%3Cb%3E1%3C%2Fb%3E');
    expect(report.text).toContain('bad value <script>alert("x")</script> & more');
  });

  it('caps the rows shown per cause', () => {
    const rows = ['1', '2', '3', '4'].map((id) => failure(hsContact(id)));
    const report = compose(rows, { maxRowsPerCause: 2 });
    expect(report.text).toContain('== invalid email: 4 records [validation] ==');
    expect(report.text).toContain('- … and 2 more');
    expect(report.text.match(/^- HubSpot contact/gm)).toHaveLength(2);
  });
});
