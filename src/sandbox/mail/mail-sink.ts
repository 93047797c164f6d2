import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import { parseHeaders } from './eml-headers';

export interface MailSummary {
  id: string;
  from: string;
  to: string;
  subject: string;
  /** ISO time from the Date header, or when the sink received it. */
  date: string;
  size: number;
}

export interface MailSinkOptions {
  port: number;
  host: string;
  /** Where .eml files go, e.g. `.data/mail`; created when missing. */
  dir: string;
  /** Largest message accepted, in bytes (default 25 MB). */
  maxBytes?: number;
  logger?: Logger;
}

export interface MailSink {
  port: number;
  /** smtp://host:port, ready for sendReport's smtpUrl. */
  smtpUrl: string;
  /** Stored messages, oldest first. */
  list(): Promise<MailSummary[]>;
  /** The raw message, or null for an unknown id. */
  read(id: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

const ID_PATTERN = /^[0-9]{13}-[0-9a-f]{8}$/;

/**
 * A local SMTP server for sandbox mode: accepts any sender, recipient and credentials, without TLS, and stores
 * each message as an .eml file, so reports can be read without a real mail provider.
 */
export async function startMailSink(options: MailSinkOptions): Promise<MailSink> {
  await mkdir(options.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: options.maxBytes ?? 25 * 1024 * 1024,
    logger: false,
    // A sandbox has nothing worth waiting 30 s (the default) for on shutdown.
    closeTimeout: 2000,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'sandbox' }),
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        store(options.dir, Buffer.concat(chunks)).then(
          (id) => callback(null, `stored as ${id}`),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  server.on('error', (error: Error) => options.logger?.warn({ err: error.message }, 'mail sink connection error'));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | null = null;
  return {
    port,
    smtpUrl: `smtp://${urlHost}:${port}`,
    list: () => listMessages(options.dir),
    read: async (id) => (ID_PATTERN.test(id) ? readFile(join(options.dir, `${id}.eml`)).catch(() => null) : null),
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

/** Written under a temporary name and renamed, so list() never sees half a message. */
async function store(dir: string, raw: Buffer): Promise<string> {
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const temporary = join(dir, `.${id}.tmp`);
  await writeFile(temporary, raw);
  await rename(temporary, join(dir, `${id}.eml`));
  return id;
}

async function listMessages(dir: string): Promise<MailSummary[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  const summaries: MailSummary[] = [];
  for (const name of names) {
    const id = name.slice(0, -'.eml'.length);
    if (!ID_PATTERN.test(id)) continue;
    const raw = await readFile(join(dir, name));
    summaries.push(summarise(id, raw));
  }
  return summaries;
}

export function summarise(id: string, raw: Buffer): MailSummary {
  const headers = parseHeaders(raw);
  const dated = new Date(headers.date ?? '');
  const received = new Date(Number(id.split('-')[0]));
  return {
    id,
    from: headers.from ?? '',
    to: headers.to ?? '',
    subject: headers.subject ?? '',
    date: (Number.isNaN(dated.getTime()) ? received : dated).toISOString(),
    size: raw.length,
  };
}
