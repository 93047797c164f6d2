import { ApplicationFailure, condition, uuid4, workflowInfo } from '@temporalio/workflow';
import type { HubSettings } from '../domain/hub';
import type { Lane } from '../domain/lane';
import type { PlannedWrite } from '../domain/plan';
import type { CrmObject, WriteResult } from '../domain/records';
import { correlationIdFor, type CommandReply } from './messages';
import { crm } from './pass-activities';

/**
 * How long a pass waits for the system's answer to a command before it looks for the record itself, unless the worker
 * says otherwise (COMMAND_REPLY_TIMEOUT). The shop answers in milliseconds; a minute covers a broker failover and a
 * consumer catching up.
 */
const REPLY_TIMEOUT_MS = 60_000;
/** Sends of one write before the record is marked failed: each one follows a lookup that found nothing. */
const MAX_SENDS = 5;

/** Replies received by this workflow, by correlation id (the record workflow registers receiveCommandReply). */
const replies = new Map<string, CommandReply>();

export function receiveCommandReply(reply: CommandReply): void {
  replies.set(reply.correlationId, reply);
}

/**
 * A write to a system that is written by commands: send, wait for the reply signal, and when none comes in time look
 * the record up before sending again, so a lost reply never makes a duplicate. A refusal fails the record like a CRM's
 * 400 would. A load-lane command goes to the system's load queues, and its reply comes back on ours.
 */
export async function writeByCommand(settings: HubSettings, object: CrmObject, write: PlannedWrite, lane: Lane = 'live'): Promise<WriteResult> {
  const activities = crm(write.system, lane);
  for (let sends = 1; ; sends++) {
    const correlationId = correlationIdFor(workflowInfo().workflowId, uuid4());
    await activities.sendWrite(object, write.id, write.fields, write.links, correlationId, lane);
    if (await condition(() => replies.has(correlationId), settings.commandReplyTimeoutMs ?? REPLY_TIMEOUT_MS)) {
      const reply = replies.get(correlationId) as CommandReply;
      replies.delete(correlationId);
      // the shop may have linked a record it already had (same email): the origin learns its id all the same
      if (reply.result) return { ...reply.result, created: write.operation === 'create' };
      throw ApplicationFailure.nonRetryable(`${write.system} refused the ${object} ${write.operation}`, 'ValidationError', {
        category: 'validation',
        fields: reply.errors ?? [],
        target: write.system,
        operation: write.operation,
      });
    }
    // an update sent again is harmless (it names the record); a create is looked for first
    const found = write.id === null ? await activities.findSentRecord(object, write.links.crossRefs ?? {}) : null;
    if (found) return { id: found.ref.id, version: found.version, modifiedAt: found.modifiedAt, created: true };
    if (sends >= MAX_SENDS) {
      // marks the record failed (it waits for its next change or a retry signal) instead of failing the workflow
      throw ApplicationFailure.nonRetryable(`${write.system} answered none of ${sends} ${object} ${write.operation} commands`, 'CommandUnanswered', {
        category: 'unavailable',
        fields: [],
        target: write.system,
        operation: write.operation,
      });
    }
  }
}
