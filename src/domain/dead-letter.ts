import type { SystemName } from './records';

/**
 * A message a system sent that broke its contract and was set aside (dead-lettered) rather than synced. No record is
 * named (the message could not be read), so it is kept apart from record failures; the report counts them per system.
 */
export interface DeadLetterInput {
  system: SystemName;
  /** the queue it was taken from */
  queue: string;
  /** the broker's message-id when it had one (never the body: it may hold personal data) */
  messageId: string | null;
  /** identifies the message across redeliveries (a digest of the body), so a redelivered one is kept once */
  key: string;
  /** what was wrong with it, e.g. "invalid JSON" or "data.id: Invalid string" */
  reason: string;
}

export interface DeadLetterRow extends DeadLetterInput {
  deadLetteredAt: string;
}
