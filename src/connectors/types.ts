import type { Lane } from '../domain/lane';
import type { ListFilter, ListPage, ListPageRequest } from '../domain/listing';
import type { ReplacedValues } from '../domain/merge';
import type { WrittenSince } from '../domain/own-writes';
import type { CrmObject, FieldValues, MatchKeys, RecordLinks, RecordSnapshot, SystemName, WriteResult } from '../domain/records';
import type { CrmError } from './errors';
import type { GrantedSlot } from './http/request-context';

/** What the hub needs from a system. Every method throws only the typed errors of ./errors. */
/** The single-record calls that record passes make side by side, which are gathered into batch calls. */
export type GatheredCall = 'read' | 'update' | 'match';

export interface CrmConnector {
  readonly system: SystemName;
  /** Creates the connector's cross-reference property/field when missing. Idempotent. */
  ensureSchema(): Promise<void>;
  /** The record as it is now; null when it does not exist or is archived/deleted. */
  get(object: CrmObject, id: string): Promise<RecordSnapshot | null>;
  /** The counterpart found by match keys (contact email; company domain/website, then exact name), or null. */
  findMatch(object: CrmObject, keys: MatchKeys): Promise<RecordSnapshot | null>;
  /**
   * Creates a record idempotently: through upsert by a unique key where the API offers it (the cross-reference
   * property, or the CRM's own unique key), and treating "already exists" as success on the existing record
   * (then `created` is false and the given fields were applied to it). `links.crossRefs` names at least the record
   * the create comes from, so a retried create finds what its first attempt made.
   */
  create(object: CrmObject, fields: FieldValues, links: RecordLinks): Promise<WriteResult>;
  /** Writes only the given fields (a patch), plus the links when given; conditionally where `unmodifiedSince` is given. */
  update(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks, unmodifiedSince?: UnmodifiedSince): Promise<WriteResult>;
  /** Archives (HubSpot) or deletes (Zoho) the record. Absent already counts as done. */
  archive(object: CrmObject, id: string): Promise<void>;
  /**
   * One page of records modified in a window (and an id range), in ascending id order, for backfill. Paging is a
   * keyset on the id, so records modified while a backfill pages (it writes cross-references into them) are neither
   * skipped nor repeated.
   */
  listPage(object: CrmObject, page: ListPageRequest): Promise<ListPage>;
  /** How many records that listing holds (an upper bound where the API cannot count a window); null if unknown. */
  count(object: CrmObject, filter: ListFilter): Promise<number | null>;

  // Batch forms of the calls above, for backfill: one call per up to BATCH_LIMIT records, same rules per record.
  /** Records by id; ids that do not exist (or are archived/deleted) are absent from the answer. */
  getMany(object: CrmObject, ids: string[], options?: GetManyOptions): Promise<RecordSnapshot[]>;
  /**
   * Requests one getMany of up to BATCH_LIMIT ids makes, where that is more than one; a single get makes one. Gathering
   * gets into a getMany saves requests only for more ids than this.
   */
  requestsPerGetMany?(object: CrmObject): number;
  /**
   * Present where the connector holds its requests to budgets of its own (HubSpot's rolling window, its searches per
   * second): resolves once the first request of a `call` batch on `object` may go, with that slot for it
   * (RequestContext.granted); null where that request is held to none. Calls gathered across records form their batch
   * when the budget has room for it, instead of waiting there as a batch fixed before the wait while the calls made
   * meanwhile queue behind it.
   */
  awaitRequestSlot?(call: GatheredCall, object: CrmObject): Promise<GrantedSlot> | null;
  /** findMatch for each key (same rules: exact normalised key, oldest record wins), answers in input order. */
  findMatches(object: CrmObject, keys: MatchKeys[]): Promise<(RecordSnapshot | null)[]>;
  /**
   * create() for each input through batch upserts by the same unique keys; refusals come back in place. With
   * `onlyNew` (asked only of a system whose definition lists the object under createRefusesMatch) an input whose key
   * a record already holds is refused in place as a ConflictError instead of written over that record.
   */
  createMany(object: CrmObject, inputs: BatchCreateInput[], options?: BatchCreateOptions): Promise<BatchOutcome[]>;
  /** update() for each input through batch updates; refusals come back in place. */
  updateMany(object: CrmObject, inputs: BatchUpdateInput[]): Promise<BatchOutcome[]>;
  /**
   * Present where the system keeps each field's history (HubSpot): per written record, what the written fields held
   * just before that write and what they hold now; records no longer there are left out. HubSpot offers no
   * conditional write, so this is how an edit that lands between the check before a write and the write is found
   * (checked-update.ts).
   */
  aroundWrites?(object: CrmObject, writes: WrittenFields[]): Promise<Map<string, AroundWrite>>;
  /**
   * Per record, for each field whose newest change is our write of that value after `since`, the value that stands for
   * it: in HubSpot, which keeps each field's history, the value our write replaced and when that was set; in Zoho, for
   * a record nobody but the hub modified since `since`, the link's base (`base`: no edit). Other fields, and records no
   * longer there, are left out. A pass that finds its own unsaved write still standing learns from this what the write
   * went over (src/domain/own-writes.ts), which its own look-back (aroundWrites) may never have answered.
   */
  valuesReplaced?(object: CrmObject, writes: WrittenSince[]): Promise<Map<string, ReplacedValues>>;
  /** Present for a system written by commands answered later (the shop over RabbitMQ); its create/update throw. */
  readonly commands?: CommandWrites;
  /** Releases what the connector holds open (a broker connection); called when the process stops. */
  close?(): Promise<void>;
}

/**
 * Writes by command: the system applies them in its own time and answers with a message of its own, which its
 * listener hands to the record workflow named by the correlation id (a CommandReply signal).
 */
export interface CommandWrites {
  /**
   * Publishes a create (id null) or an update; resolves once the broker has the command, not when it is applied.
   * `lane` picks the system's live or initial-load queues.
   */
  send(object: CrmObject, id: string | null, fields: FieldValues, links: RecordLinks, correlationId: string, lane: Lane): Promise<void>;
  /** The record a create was sent for, found by the other systems' ids it carried: a lost reply must not make a duplicate. */
  findSent(object: CrmObject, crossRefs: Record<SystemName, string | null>): Promise<RecordSnapshot | null>;
}

export interface GetManyOptions {
  /**
   * The records' fields only, for a check of fields (the lost-update check): their references are left null where
   * reading them costs requests of their own (HubSpot's association reads).
   */
  fieldsOnly?: boolean;
}

/** Largest batch either CRM accepts per write (HubSpot batch/*, Zoho insert/update/upsert). */
export const BATCH_LIMIT = 100;

export interface BatchCreateOptions {
  onlyNew?: boolean;
}

export interface BatchCreateInput {
  fields: FieldValues;
  links: RecordLinks;
}

export interface BatchUpdateInput {
  id: string;
  fields: FieldValues;
  links: RecordLinks;
  unmodifiedSince?: UnmodifiedSince;
}

/**
 * The record's version as the check right before a write read it. A system with conditional writes (Zoho's
 * If-Unmodified-Since) refuses the write with StaleReadError when the record was modified after it; one without
 * (HubSpot) ignores it.
 */
export type UnmodifiedSince = Pick<RecordSnapshot, 'version' | 'modifiedAt'>;

/** A record we wrote: the fields that write set, and the modification time the system gave it. */
export interface WrittenFields {
  id: string;
  fields: FieldValues;
  at: number;
}

/** Those fields as they stood just before the write, and as they stand now. */
export interface AroundWrite {
  before: FieldValues;
  now: FieldValues;
}

/** One record's result of a batch write: whole-request failures (429, 5xx, auth) are thrown instead. */
export type BatchOutcome = { ok: true; result: WriteResult } | { ok: false; error: CrmError };

export type { RecordLinks } from '../domain/records';

export type { ListFilter, ListPage, ListPageRequest } from '../domain/listing';

/** Observability hook, so metrics live outside the connectors. */
export interface CrmCallObserver {
  onCall(event: { system: SystemName; operation: string; status: number | 'network-error'; durationMs: number }): void;
  onTokenRefresh(event: { system: SystemName; ok: boolean }): void;
}

