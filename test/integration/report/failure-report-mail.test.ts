import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { composeFailureReport } from '../../../src/report/compose';
import { sendReport } from '../../../src/report/send';
import type { FailureReport } from '../../../src/report/types';
import { listen, type RunningServer } from '../../../src/sandbox/common/http-server';
import { createMailRoutes } from '../../../src/sandbox/mail/mail-routes';
import { startMailSink, type MailSink, type MailSummary } from '../../../src/sandbox/mail/mail-sink';
import type { FailureRow } from '../../../src/store/types';
import { hubspotRecordUrl } from '../../../src/systems/hubspot/record-url';
import { zohoRecordUrl } from '../../../src/systems/zoho/record-url';

const base = {
  operation: 'update',
  message: 'Property values were not valid',
  firstFailedAt: '2026-11-02T09:00:00Z',
  lastFailedAt: '2026-11-03T07:30:00Z',
  attempts: 4,
  recoveredAt: null,
} as const;

const rows: FailureRow[] = [
  ...['101', '102'].map((id) => ({
    ...base,
    ref: { system: 'hubspot' as const, object: 'contact' as const, id },
    category: 'validation',
    fields: [{ field: 'email', reason: 'invalid email' }],
    workflowId: `hubspot:contact:${id}`,
  })),
  {
    ...base,
    ref: { system: 'zoho', object: 'company', id: '9001' },
    category: 'transient',
    message: 'socket hang up <b>',
    fields: [],
    workflowId: 'zoho:company:9001',
  },
  {
    ...base,
    ref: { system: 'zoho', object: 'contact', id: '5550001' },
    category: 'auth',
    message: 'INVALID_TOKEN',
    fields: [],
    workflowId: 'zoho:contact:5550001',
    recoveredAt: '2026-11-03T06:00:00Z',
  },
];

function composed(): FailureReport {
  const report = composeFailureReport(rows, {
    webUiBaseUrl: 'http://localhost:8233',
    namespace: 'crm-sync',
    systems: [
      { name: 'hubspot', label: 'HubSpot', recordUrl: (object, id) => hubspotRecordUrl('4242', object, id, 'https://app.hubspot.com') },
      { name: 'zoho', label: 'Zoho', recordUrl: (object, id) => zohoRecordUrl(object, id, 'https://crm.zoho.com/crm') },
    ],
    now: new Date('2026-11-03T08:00:00Z'),
  });
  if (!report) throw new Error('expected a report');
  return report;
}

let dir: string;
let sink: MailSink;
let http: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-sync-mail-'));
  sink = await startMailSink({ port: 0, host: '127.0.0.1', dir: join(dir, 'mail') });
  const app = express();
  app.use(createMailRoutes(sink));
  http = await listen(app, '127.0.0.1', 0);
});

afterAll(async () => {
  await http.close();
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

describe('failure report over SMTP into the sandbox mail sink', () => {
  let summary: MailSummary;

  it('sends the composed report and stores it as an .eml file', async () => {
    const report = composed();
    const sent = await sendReport({ smtpUrl: sink.smtpUrl, from: 'crm-sync <sync@example.org>', to: ['ops@example.org'] }, report);
    expect(sent.accepted).toEqual(['ops@example.org']);

    const messages = await sink.list();
    expect(messages).toHaveLength(1);
    summary = messages[0] as MailSummary;
    expect(summary).toMatchObject({ from: '"crm-sync" <sync@example.org>', to: 'ops@example.org', subject: report.subject });
    expect(await readdir(join(dir, 'mail'))).toEqual([`${summary.id}.eml`]);
  });

  it('arrives as a multipart mail whose parts show groups, links and recoveries', async () => {
    const raw = await sink.read(summary.id);
    if (!raw) throw new Error('message not stored');
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('crm-sync: 3 records failing (2 causes), 1 recovered');
    const text = mail.text ?? '';
    expect(text).toContain('== invalid email: 2 records [validation] ==');
    expect(text).toContain('== temporary errors: 1 record [transient] ==');
    expect(text).toContain('== Recovered: 1 record ==');
    expect(text).toContain('workflow: http://localhost:8233/namespaces/crm-sync/workflows/hubspot%3Acontact%3A102');
    expect(text.indexOf('invalid email')).toBeLessThan(text.indexOf('temporary errors'));

    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('<a href="https://app.hubspot.com/contacts/4242/record/0-1/101">HubSpot contact 101</a>');
    expect(html).toContain('<a href="https://crm.zoho.com/crm/tab/Accounts/9001">Zoho company 9001</a>');
    expect(html).toContain('<a href="https://crm.zoho.com/crm/tab/Contacts/5550001">Zoho contact 5550001</a>');
    expect(html).toContain('socket hang up &lt;b&gt;');
  });

  it('serves the list and each message over GET /_sim/mail', async () => {
    const list = (await (await fetch(`${http.url}/_sim/mail`)).json()) as MailSummary[];
    expect(list.map((m) => m.id)).toEqual([summary.id]);

    const raw = await fetch(`${http.url}/_sim/mail/${summary.id}`);
    expect(raw.headers.get('content-type')).toMatch(/^message\/rfc822/);
    expect((await simpleParser(Buffer.from(await raw.arrayBuffer()))).subject).toBe(summary.subject);

    const parsed = (await (await fetch(`${http.url}/_sim/mail/${summary.id}?format=json`)).json()) as { headers: Record<string, string> };
    expect(parsed.headers['content-type']).toMatch(/^multipart\/alternative/);

    expect((await fetch(`${http.url}/_sim/mail/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('decodes non-ASCII headers in its listing', async () => {
    const mailer = nodemailer.createTransport(sink.smtpUrl);
    const subject = 'Zoë’s contacts — 3 échecs 🚨';
    await mailer.sendMail({ from: 'sync@example.org', to: 'Zoë <zoe@example.org>', subject, text: 'hi' });
    mailer.close();
    const latest = (await sink.list()).at(-1);
    expect(latest?.subject).toBe(subject);
    expect(latest?.to).toBe('Zoë <zoe@example.org>');
  });
});
