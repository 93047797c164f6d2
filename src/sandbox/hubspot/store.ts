import type { MonotonicClock } from '../common/clock';
import { MODIFIED_PROPERTY, type ObjectType } from './object-types';
import type { ChangeListener, HistoryEntry, RecordChange, StoredRecord, WriteSource } from './store-types';

export interface UniqueClash {
  property: string;
  value: string;
  existingId: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const uniqueKey = (property: string, value: string): string => (property === 'email' ? value.trim().toLowerCase() : value);

/** SOURCE labels HubSpot puts in property history. */
/** Where a record lists the ids merged into it. */
export const MERGED_IDS = 'hs_merged_object_ids';
/** The primary's own identity and stamps: never taken from the merged record. */
const KEPT_ON_MERGE = new Set(['hs_object_id', 'createdate', 'lastmodifieddate', 'hs_lastmodifieddate', MERGED_IDS]);
const HISTORY_SOURCE: Record<WriteSource, string> = { API: 'INTEGRATION', UI: 'CRM_UI', SEED: 'IMPORT' };

/**
 * In-memory records of one object type. Ids are handed out in increasing order, so `order` stays sorted and
 * list paging is a binary search; unique values (contact email, hasUniqueValue properties) are indexed.
 */
export class RecordStore {
  private records = new Map<string, StoredRecord>();
  private order: number[] = [];
  private unique = new Map<string, Map<string, string>>();
  private nextId: number;
  private readonly listeners: ChangeListener[] = [];

  constructor(
    readonly type: ObjectType,
    private readonly firstId: number,
    private readonly clock: MonotonicClock,
    private readonly uniqueNames: () => string[],
  ) {
    this.nextId = firstId;
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<StoredRecord> {
    return this.records.values();
  }

  isUnique(property: string): boolean {
    return (this.type === 'contacts' && property === 'email') || this.uniqueNames().includes(property);
  }

  /** The live (unarchived) record holding `value` for a unique property. */
  findUnique(property: string, value: string): StoredRecord | undefined {
    const id = this.unique.get(property)?.get(uniqueKey(property, value));
    return id === undefined ? undefined : this.records.get(id);
  }

  /** The first unique value in `values` already held by another live record. */
  clash(values: Record<string, string | null>, exceptId?: string): UniqueClash | null {
    for (const [property, value] of Object.entries(values)) {
      if (value === null || !this.isUnique(property)) continue;
      const existing = this.findUnique(property, value);
      if (existing && existing.id !== exceptId) return { property, value, existingId: existing.id };
    }
    return null;
  }

  create(values: Record<string, string | null>, source: WriteSource, createdAt?: number): StoredRecord {
    const at = createdAt ?? this.clock.next();
    const id = String(this.nextId++);
    const properties: Record<string, string> = {};
    const changes: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(values)) {
      if (value === null) continue;
      properties[name] = value;
      changes.push([name, value]);
    }
    properties.hs_object_id = id;
    properties.createdate ??= iso(at);
    properties[MODIFIED_PROPERTY[this.type]] = iso(at);
    const record: StoredRecord = { id, properties, createdAt: at, updatedAt: at, archived: false, createdBy: source };
    this.records.set(id, record);
    this.order.push(Number(id));
    this.index(record);
    this.emit({ kind: 'created', type: this.type, record, changes, source, at });
    return record;
  }

  /** Applies the values that differ; a write that changes nothing leaves the modification stamp alone. */
  update(id: string, values: Record<string, string | null>, source: WriteSource, userId?: number): { record: StoredRecord; changed: boolean } {
    const record = this.records.get(id);
    if (!record || record.archived) throw new Error(`record ${id} not writable`);
    const changes: Array<[string, string | null]> = [];
    for (const [name, value] of Object.entries(values)) {
      const old = record.properties[name];
      if ((value ?? undefined) === old) continue;
      changes.push([name, value]);
    }
    if (changes.length === 0) return { record, changed: false };
    const at = this.clock.next();
    this.unindex(record);
    for (const [name, value] of changes) {
      this.remember(record, name, value, at, source, userId);
      if (value === null) delete record.properties[name];
      else record.properties[name] = value;
    }
    record.properties[MODIFIED_PROPERTY[this.type]] = iso(at);
    record.updatedAt = at;
    this.index(record);
    this.emit({ kind: 'updated', type: this.type, record, changes, source, at, ...(userId === undefined ? {} : { userId }) });
    return { record, changed: true };
  }

  archive(id: string, source: WriteSource): StoredRecord {
    const record = this.records.get(id);
    if (!record || record.archived) throw new Error(`record ${id} not archivable`);
    const at = this.clock.next();
    this.unindex(record);
    record.archived = true;
    record.archivedAt = at;
    record.updatedAt = at;
    this.emit({ kind: 'archived', type: this.type, record, source, at });
    return record;
  }

  /**
   * Merges `mergedId` into `primaryId`: the primary keeps its id and values, takes the merged record's values where it
   * has none (unique ones too, since the merged record is archived and frees them), and lists the merged ids in
   * hs_merged_object_ids; the merged record is archived. One 'merged' change, no property changes (UNCONFIRMED: which
   * other events HubSpot sends on a merge).
   */
  merge(primaryId: string, mergedId: string, source: WriteSource): StoredRecord {
    const primary = this.records.get(primaryId);
    const merged = this.records.get(mergedId);
    if (!primary || primary.archived || !merged || merged.archived || primaryId === mergedId) throw new Error(`cannot merge ${mergedId} into ${primaryId}`);
    const at = this.clock.next();
    this.unindex(merged);
    merged.archived = true;
    merged.archivedAt = at;
    merged.updatedAt = at;
    this.unindex(primary);
    for (const [name, value] of Object.entries(merged.properties)) {
      if (primary.properties[name] !== undefined || KEPT_ON_MERGE.has(name)) continue;
      this.remember(primary, name, value, at, source);
      primary.properties[name] = value;
    }
    const mergedIds = [primary.properties[MERGED_IDS], mergedId, merged.properties[MERGED_IDS]].filter((ids) => ids !== undefined && ids !== '');
    primary.properties[MERGED_IDS] = mergedIds.join(';');
    primary.properties[MODIFIED_PROPERTY[this.type]] = iso(at);
    primary.updatedAt = at;
    this.index(primary);
    this.emit({ kind: 'merged', type: this.type, record: primary, merged, source, at });
    return primary;
  }

  /** Records in id order starting at `fromId` (inclusive); `next` is the id to resume from. */
  page(fromId: number, limit: number, archived: boolean): { records: StoredRecord[]; next?: string } {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.order[mid] ?? 0) < fromId) lo = mid + 1;
      else hi = mid;
    }
    const records: StoredRecord[] = [];
    for (let i = lo; i < this.order.length; i += 1) {
      const record = this.records.get(String(this.order[i]));
      if (!record || record.archived !== archived) continue;
      if (records.length === limit) return { records, next: record.id };
      records.push(record);
    }
    return { records };
  }

  clear(): void {
    this.records.clear();
    this.order = [];
    this.unique.clear();
    this.nextId = this.firstId;
  }

  /** Snapshot support: puts a record back as-is, without events. */
  restore(record: StoredRecord): void {
    this.records.set(record.id, record);
    this.order.push(Number(record.id));
    this.nextId = Math.max(this.nextId, Number(record.id) + 1);
    this.clock.advanceTo(record.updatedAt);
    if (!record.archived) this.index(record);
  }

  finishRestore(): void {
    this.order.sort((a, b) => a - b);
  }

  private remember(record: StoredRecord, name: string, value: string | null, at: number, source: WriteSource, userId?: number): void {
    record.history ??= {};
    let entries = record.history[name];
    if (!entries) {
      entries = [];
      const initial = record.properties[name];
      if (initial !== undefined) entries.push({ value: initial, timestamp: iso(record.createdAt), sourceType: HISTORY_SOURCE[record.createdBy] });
      record.history[name] = entries;
    }
    const entry: HistoryEntry = { value: value ?? '', timestamp: iso(at), sourceType: HISTORY_SOURCE[source] };
    if (source === 'UI' && userId !== undefined) entry.updatedByUserId = userId;
    entries.unshift(entry);
  }

  private index(record: StoredRecord): void {
    for (const [name, value] of Object.entries(record.properties)) {
      if (!this.isUnique(name)) continue;
      let map = this.unique.get(name);
      if (!map) {
        map = new Map<string, string>();
        this.unique.set(name, map);
      }
      map.set(uniqueKey(name, value), record.id);
    }
  }

  private unindex(record: StoredRecord): void {
    for (const [name, value] of Object.entries(record.properties)) {
      const map = this.unique.get(name);
      const key = uniqueKey(name, value);
      if (map?.get(key) === record.id) map.delete(key);
    }
  }

  private emit(change: RecordChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

