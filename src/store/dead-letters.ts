import { z } from 'zod';
import type { DeadLetterInput, DeadLetterRow } from '../domain/dead-letter';
import type { Queryable } from './db';
import { IsoTimestamp, NOW_MS, SystemColumn } from './rows';

const DeadLetterRecord = z
  .object({
    system: SystemColumn,
    queue: z.string(),
    message_id: z.string().nullable(),
    message_key: z.string(),
    reason: z.string(),
    dead_lettered_at: IsoTimestamp,
  })
  .transform(
    (row): DeadLetterRow => ({
      system: row.system,
      queue: row.queue,
      messageId: row.message_id,
      key: row.message_key,
      reason: row.reason,
      deadLetteredAt: row.dead_lettered_at,
    }),
  );

/** Keyed by queue and message key: a message redelivered before its ack reached the broker is counted once. */
export async function recordDeadLetter(db: Queryable, letter: DeadLetterInput): Promise<void> {
  await db.query(
    `INSERT INTO dead_letters (system, queue, message_id, message_key, reason, dead_lettered_at)
     VALUES ($1, $2, $3, $4, $5, ${NOW_MS})
     ON CONFLICT (queue, message_key) DO NOTHING`,
    [letter.system, letter.queue, letter.messageId, letter.key, letter.reason],
  );
}

export async function deadLettersSince(db: Queryable, since: string): Promise<DeadLetterRow[]> {
  const rows = await db.query(
    `SELECT system, queue, message_id, message_key, reason, dead_lettered_at
     FROM dead_letters WHERE dead_lettered_at > $1::timestamptz ORDER BY dead_lettered_at, id`,
    [since],
  );
  return rows.map((row) => DeadLetterRecord.parse(row));
}
