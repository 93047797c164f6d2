import type { CrmConnector, RecordLinks } from '../connectors/types';
import type { CrmObject, FieldValues, MatchKeys, RecordRef, RecordSnapshot, WriteResult } from '../domain/records';
import { classifyErrors } from './activity-failure';

/**
 * Activities that call one CRM. The worker registers one instance per CRM on that CRM's task queue, so every call
 * to a CRM passes the queue's server-side rate limit, however many workers run.
 */
export function createCrmActivities(connector: CrmConnector) {
  return classifyErrors({
    async readRecord(ref: RecordRef): Promise<RecordSnapshot | null> {
      return connector.get(ref.object, ref.id);
    },
    async findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null> {
      return connector.findMatch(object, keys);
    },
    async createRecord(object: CrmObject, fields: FieldValues, links: RecordLinks & { counterpartId: string }): Promise<WriteResult> {
      return connector.create(object, fields, links);
    },
    async updateRecord(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks): Promise<WriteResult> {
      return connector.update(object, id, fields, links);
    },
    async archiveRecord(object: CrmObject, id: string): Promise<void> {
      return connector.archive(object, id);
    },
  });
}

export type CrmActivities = ReturnType<typeof createCrmActivities>;
