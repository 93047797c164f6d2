import type { ModuleName } from './fields';
import type { FieldValue, StoredRecord } from './record-types';
import { SearchIndex } from './search-index';
import { type SortKey, compareKeys, lowerBound } from './sorted';

export type SortBy = 'id' | 'Created_Time' | 'Modified_Time';

export function normalizeIndexValue(value: FieldValue): string | null {
  if (value === null || value === '') return null;
  return String(value).trim().toLowerCase();
}

/**
 * One module's records with the indexes Zoho itself keeps: by id, by Modified_Time (then id), and value
 * indexes for duplicate-check and unique fields (Email, Account_Name, custom unique fields).
 * Created_Time order equals id order because ids are handed out in creation order (seeds included).
 */
export class ModuleStore {
  private readonly byId = new Map<string, StoredRecord>();
  private idOrder: StoredRecord[] = [];
  private modOrder: StoredRecord[] = [];
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly deleted = new Map<string, StoredRecord>();
  readonly search: SearchIndex;

  constructor(
    readonly module: ModuleName,
    indexedFields: readonly string[],
    searchDelayMs: () => number,
  ) {
    for (const field of indexedFields) this.indexes.set(field, new Map());
    this.search = new SearchIndex(searchDelayMs);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): StoredRecord | undefined {
    return this.byId.get(id);
  }

  all(): readonly StoredRecord[] {
    return this.idOrder;
  }

  deletedRecords(): IterableIterator<StoredRecord> {
    return this.deleted.values();
  }

  clear(): void {
    this.byId.clear();
    this.idOrder = [];
    this.modOrder = [];
    for (const index of this.indexes.values()) index.clear();
    this.deleted.clear();
    this.search.clear();
  }

  ensureIndex(field: string): void {
    if (this.indexes.has(field)) return;
    const index = new Map<string, Set<string>>();
    this.indexes.set(field, index);
    for (const rec of this.idOrder) this.indexAdd(index, rec.values[field] ?? null, rec.id);
  }

  /** Ids whose field equals value (case-insensitive), oldest first. */
  findBy(field: string, value: FieldValue): string[] {
    const key = normalizeIndexValue(value);
    if (key === null) return [];
    const index = this.indexes.get(field);
    if (index) return [...(index.get(key) ?? [])].sort();
    return this.idOrder.filter((r) => normalizeIndexValue(r.values[field] ?? null) === key).map((r) => r.id);
  }

  insert(rec: StoredRecord, indexNow = false): void {
    this.byId.set(rec.id, rec);
    this.idOrder.splice(lowerBound(this.idOrder, (r) => r.id < rec.id), 0, rec);
    this.modOrder.splice(lowerBound(this.modOrder, (r) => compareKeys(modKey(r), modKey(rec)) < 0), 0, rec);
    for (const [field, index] of this.indexes) this.indexAdd(index, rec.values[field] ?? null, rec.id);
    this.search.schedule(rec.id, { id: rec.id, values: { ...rec.values }, createdMs: rec.createdMs, modifiedMs: rec.modifiedMs }, indexNow);
  }

  update(rec: StoredRecord, values: Record<string, FieldValue>, modifiedMs: number, modifiedBy: string): void {
    for (const [field, index] of this.indexes) {
      this.indexRemove(index, rec.values[field] ?? null, rec.id);
      this.indexAdd(index, values[field] ?? null, rec.id);
    }
    this.removeFromModOrder(rec);
    rec.values = values;
    rec.modifiedMs = modifiedMs;
    rec.modifiedBy = modifiedBy;
    this.modOrder.splice(lowerBound(this.modOrder, (r) => compareKeys(modKey(r), modKey(rec)) < 0), 0, rec);
    this.search.schedule(rec.id, { id: rec.id, values: { ...values }, createdMs: rec.createdMs, modifiedMs });
  }

  remove(rec: StoredRecord, deletedMs: number, deletedBy: string): void {
    this.byId.delete(rec.id);
    const at = lowerBound(this.idOrder, (r) => r.id < rec.id);
    if (this.idOrder[at] === rec) this.idOrder.splice(at, 1);
    this.removeFromModOrder(rec);
    for (const [field, index] of this.indexes) this.indexRemove(index, rec.values[field] ?? null, rec.id);
    this.search.remove(rec.id);
    rec.deletedMs = deletedMs;
    rec.deletedBy = deletedBy;
    this.deleted.set(rec.id, rec);
  }

  /** Loads many records at once (seed, snapshot): one sort instead of one splice per record. */
  bulkLoad(records: readonly StoredRecord[], deleted: readonly StoredRecord[] = []): void {
    for (const rec of records) {
      this.byId.set(rec.id, rec);
      this.idOrder.push(rec);
      this.modOrder.push(rec);
      for (const [field, index] of this.indexes) this.indexAdd(index, rec.values[field] ?? null, rec.id);
      this.search.schedule(rec.id, { id: rec.id, values: { ...rec.values }, createdMs: rec.createdMs, modifiedMs: rec.modifiedMs }, true);
    }
    this.idOrder.sort((a, b) => compareKeys(idKey(a), idKey(b)));
    this.modOrder.sort((a, b) => compareKeys(modKey(a), modKey(b)));
    for (const rec of deleted) this.deleted.set(rec.id, rec);
  }

  /** Records in sort order, starting strictly after `after` (keyset paging). */
  *iterate(sortBy: SortBy, order: 'asc' | 'desc', after?: SortKey): Generator<StoredRecord> {
    const arr = sortBy === 'Modified_Time' ? this.modOrder : this.idOrder;
    const keyOf = sortBy === 'Modified_Time' ? modKey : idKey;
    if (order === 'asc') {
      const start = after ? lowerBound(arr, (r) => compareKeys(keyOf(r), after) <= 0) : 0;
      for (let i = start; i < arr.length; i += 1) yield arr[i] as StoredRecord;
    } else {
      const end = after ? lowerBound(arr, (r) => compareKeys(keyOf(r), after) < 0) : arr.length;
      for (let i = end - 1; i >= 0; i -= 1) yield arr[i] as StoredRecord;
    }
  }

  private removeFromModOrder(rec: StoredRecord): void {
    const at = lowerBound(this.modOrder, (r) => compareKeys(modKey(r), modKey(rec)) < 0);
    if (this.modOrder[at] === rec) this.modOrder.splice(at, 1);
  }

  private indexAdd(index: Map<string, Set<string>>, value: FieldValue, id: string): void {
    const key = normalizeIndexValue(value);
    if (key === null) return;
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(id);
  }

  private indexRemove(index: Map<string, Set<string>>, value: FieldValue, id: string): void {
    const key = normalizeIndexValue(value);
    if (key === null) return;
    const ids = index.get(key);
    ids?.delete(id);
    if (ids && ids.size === 0) index.delete(key);
  }
}

export function modKey(r: StoredRecord): SortKey {
  return { ms: r.modifiedMs, id: r.id };
}

export function idKey(r: StoredRecord): SortKey {
  return { ms: 0, id: r.id };
}

export function keyFor(sortBy: SortBy, r: StoredRecord): SortKey {
  return sortBy === 'Modified_Time' ? modKey(r) : idKey(r);
}
