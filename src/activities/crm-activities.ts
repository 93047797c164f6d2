import type { CommandWrites, CrmConnector } from '../connectors/types';
import type { Lane } from '../domain/lane';
import type { ReplacedValues } from '../domain/merge';
import type { WrittenSince } from '../domain/own-writes';
import type { CrmObject, FieldValues, MatchKeys, RecordLinks, RecordRef, RecordSnapshot, SystemName, WriteResult } from '../domain/records';
import { PermanentCrmError } from '../connectors/errors';
import { createBatchedCalls } from '../connectors/batched-calls';
import { namingOperation } from './activity-failure';
import { crmCalls } from './crm-calls';

/** Against the passes' heartbeat timeout (src/workflows/pass-activities.ts): a call slower than this beats. */
const CRM_HEARTBEAT_EVERY_MS = 2000;

/**
 * Activities that call one system. The worker registers one instance per system on that system's task queue, where
 * backfills' and load passes' calls pass the queue's server-side rate limit however many workers run, and the same
 * instance as the live passes' local activities (`{system}.{call}`), paced by the connector alone.
 */
export function createCrmActivities(connector: CrmConnector) {
  // Here rather than around the connector where it is built: the record passes' calls are the many concurrent
  // single calls worth gathering; backfill already calls in batches, and ingress reads one record at a time.
  const { read, update, findMatch } = createBatchedCalls(connector);
  return crmCalls({
    async readRecord(ref: RecordRef): Promise<RecordSnapshot | null> {
      return read(ref.object, ref.id);
    },
    async findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null> {
      return findMatch(object, keys);
    },
    async createRecord(object: CrmObject, fields: FieldValues, links: RecordLinks): Promise<WriteResult> {
      return namingOperation('create', () => connector.create(object, fields, links));
    },
    /** `expected`: the values the plan read for the fields about to be written (the lost-update check, CheckedUpdateInput). */
    async updateRecord(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks, expected?: FieldValues): Promise<WriteResult> {
      return namingOperation('update', () => update(object, id, fields, links, expected));
    },
    /**
     * What our unsaved writes still standing in a record replaced (CrmConnector.valuesReplaced), in the order given;
     * nothing where the system cannot say.
     */
    async valuesReplaced(object: CrmObject, writes: WrittenSince[]): Promise<(ReplacedValues | null)[]> {
      const replaced = connector.valuesReplaced && writes.length > 0 ? await connector.valuesReplaced(object, writes) : new Map<string, ReplacedValues>();
      return writes.map((write) => replaced.get(write.id) ?? null);
    },
    async archiveRecord(object: CrmObject, id: string): Promise<void> {
      return namingOperation('delete', () => connector.archive(object, id));
    },
    /** `lane` absent (a pass scheduled before lanes existed): live. */
    async sendWrite(object: CrmObject, id: string | null, fields: FieldValues, links: RecordLinks, correlationId: string, lane: Lane = 'live'): Promise<void> {
      return commandsOf(connector).send(object, id, fields, links, correlationId, lane);
    },
    async findSentRecord(object: CrmObject, crossRefs: Record<SystemName, string | null>): Promise<RecordSnapshot | null> {
      return commandsOf(connector).findSent(object, crossRefs);
    },
  }, CRM_HEARTBEAT_EVERY_MS);
}

export type CrmActivities = ReturnType<typeof createCrmActivities>;

function commandsOf(connector: CrmConnector): CommandWrites {
  if (!connector.commands) throw new PermanentCrmError(`${connector.system} is not written by commands`);
  return connector.commands;
}
