import type { RecordChange, StoredRecord } from './store-types';

/** What search sees of a record: a copy taken when the write was indexed. */
export interface IndexedDoc {
  id: string;
  numId: number;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

interface Pending {
  id: string;
  doc: IndexedDoc | null;
  visibleAt: number;
}

const eqKey = (value: string): string => value.trim().toLowerCase();

/**
 * HubSpot's search reads an index updated asynchronously after writes. Each write is queued with the time
 * it becomes visible; searches first apply whatever has come due, so they see stale data until then.
 */
export class SearchIndex {
  private pending: Pending[] = [];
  private docs = new Map<string, IndexedDoc>();
  /** Lazily built exact-match indexes (lower-cased value → ids) for the properties searched by equality. */
  private eq = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly delayMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  record(change: RecordChange): void {
    const { record } = change;
    const doc = this.docOf(record);
    const delay = this.delayMs();
    if (delay <= 0) this.apply(record.id, doc);
    else this.pending.push({ id: record.id, doc, visibleAt: this.now() + delay });
  }

  /** Indexes a record immediately (snapshot load), bypassing the lag. */
  indexNow(record: StoredRecord): void {
    this.apply(record.id, this.docOf(record));
  }

  private docOf(record: StoredRecord): IndexedDoc | null {
    if (record.archived) return null;
    return { id: record.id, numId: Number(record.id), properties: { ...record.properties }, createdAt: record.createdAt, updatedAt: record.updatedAt };
  }

  /** Applies every queued write that has come due. */
  refresh(): void {
    const now = this.now();
    let due = 0;
    while (due < this.pending.length && (this.pending[due]?.visibleAt ?? Infinity) <= now) due += 1;
    if (due === 0) return;
    for (const item of this.pending.splice(0, due)) this.apply(item.id, item.doc);
  }

  all(): IterableIterator<IndexedDoc> {
    return this.docs.values();
  }

  get size(): number {
    return this.docs.size;
  }

  /** Docs whose `property` equals one of `values` (case-insensitive), via the equality index. */
  lookup(property: string, values: string[]): IndexedDoc[] {
    const index = this.eqIndex(property);
    const out: IndexedDoc[] = [];
    for (const value of values) {
      for (const id of index.get(eqKey(value)) ?? []) {
        const doc = this.docs.get(id);
        if (doc) out.push(doc);
      }
    }
    return out;
  }

  clear(): void {
    this.pending = [];
    this.docs.clear();
    this.eq.clear();
  }

  private apply(id: string, doc: IndexedDoc | null): void {
    const old = this.docs.get(id);
    if (old) this.unindex(old);
    if (doc) {
      this.docs.set(id, doc);
      this.index(doc);
    } else {
      this.docs.delete(id);
    }
  }

  private eqIndex(property: string): Map<string, Set<string>> {
    let index = this.eq.get(property);
    if (index) return index;
    index = new Map();
    this.eq.set(property, index);
    for (const doc of this.docs.values()) this.add(index, doc, property);
    return index;
  }

  private add(index: Map<string, Set<string>>, doc: IndexedDoc, property: string): void {
    const value = doc.properties[property];
    if (value === undefined) return;
    const key = eqKey(value);
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(doc.id);
  }

  private index(doc: IndexedDoc): void {
    for (const [property, index] of this.eq) this.add(index, doc, property);
  }

  private unindex(doc: IndexedDoc): void {
    for (const [property, index] of this.eq) {
      const value = doc.properties[property];
      if (value !== undefined) index.get(eqKey(value))?.delete(doc.id);
    }
  }
}
