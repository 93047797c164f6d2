import type { FieldValue } from './record-types';

export interface IndexedEntry {
  id: string;
  values: Record<string, FieldValue>;
  createdMs: number;
  modifiedMs: number;
}

/**
 * What /search can see. Zoho indexes asynchronously, so a record written at t becomes searchable at its
 * new values only at t + delay (before that, search sees the previous values, or nothing for a new record).
 * Deletions leave the index at once: a search must never hand back a record that no longer exists.
 */
export class SearchIndex {
  private readonly visible = new Map<string, IndexedEntry>();
  private pending: Array<{ at: number; id: string; entry: IndexedEntry }> = [];

  constructor(
    private readonly delayMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  schedule(id: string, entry: IndexedEntry, immediate = false): void {
    const delay = this.delayMs();
    if (immediate || delay <= 0) {
      this.visible.set(id, entry);
      return;
    }
    this.pending.push({ at: this.now() + delay, id, entry });
  }

  remove(id: string): void {
    this.visible.delete(id);
    if (this.pending.some((p) => p.id === id)) this.pending = this.pending.filter((p) => p.id !== id);
  }

  clear(): void {
    this.visible.clear();
    this.pending = [];
  }

  entries(): ReadonlyMap<string, IndexedEntry> {
    const now = this.now();
    let applied = 0;
    for (const item of this.pending) {
      if (item.at > now) break;
      this.visible.set(item.id, item.entry);
      applied += 1;
    }
    if (applied > 0) this.pending = this.pending.slice(applied);
    return this.visible;
  }
}
