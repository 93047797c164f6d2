import type { CrmObject, CrmSystem, FieldValues, MatchKeys, RecordSnapshot, WriteResult } from '../domain/records';

/** What the sync logic needs from a CRM. Every method throws only the typed errors of ./errors. */
export interface CrmConnector {
  readonly system: CrmSystem;
  /** Creates the connector's cross-reference property/field when missing. Idempotent. */
  ensureSchema(): Promise<void>;
  /** The record as it is now; null when it does not exist or is archived/deleted. */
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  /** The counterpart found by match keys (contact email; company domain/website, then exact name), or null. */
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
  /**
   * Creates a record idempotently: through upsert by a unique key where the API offers it (the cross-reference
   * property, or the CRM's own unique key), and treating "already exists" as success on the existing record
   * (then `created` is false and the given fields were applied to it).
   */
  create(object: CrmObject, fields: FieldValues, links: RecordLinks & { counterpartId: string }): Promise<WriteResult>;
  /** Writes only the given fields (a patch), plus the links when given. */
  update(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks): Promise<WriteResult>;
  /** Archives (HubSpot) or deletes (Zoho) the record. Absent already counts as done. */
  archive(object: CrmObject, id: string): Promise<void>;
  /** One page of records modified in a window, oldest first, for backfill. */
  listPage(object: CrmObject, page: ListPageRequest): Promise<ListPage>;
}

export interface RecordLinks {
  /** The counterpart's id, written into the cross-reference property/field. */
  counterpartId?: string;
  /** Contacts only: the associated company's id in this CRM (null removes the association). */
  companyId?: string | null;
}

export interface ListPageRequest {
  cursor?: string;
  limit: number;
  modifiedAfter?: string;
  modifiedBefore?: string;
}

export interface ListPage {
  records: RecordSnapshot[];
  nextCursor?: string;
}

/** Observability hook, so metrics live outside the connectors. */
export interface CrmCallObserver {
  onCall(event: { system: CrmSystem; operation: string; status: number | 'network-error'; durationMs: number }): void;
  onTokenRefresh(event: { system: CrmSystem; ok: boolean }): void;
}

