import nodemailer from 'nodemailer';
import type { FailureReport } from './types';

export interface ReportTransportOptions {
  /** e.g. smtp://user:pass@smtp.example.com:587 or smtps://…:465; credentials in the URL are percent-encoded. */
  smtpUrl: string;
  from: string;
  to: string | string[];
}

export interface SentReport {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** Sends one report over SMTP; throws when the server refuses it, so a scheduled caller can retry. */
export async function sendReport(transport: ReportTransportOptions, report: FailureReport): Promise<SentReport> {
  const mailer = nodemailer.createTransport(transport.smtpUrl);
  try {
    const info = await mailer.sendMail({
      from: transport.from,
      to: transport.to,
      subject: report.subject,
      text: report.text,
      html: report.html,
    });
    const addresses = (list: (string | { address: string })[]): string[] =>
      list.map((entry) => (typeof entry === 'string' ? entry : entry.address));
    return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
  } finally {
    mailer.close();
  }
}
