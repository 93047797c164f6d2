import type { ObjectType } from './object-types';

/** Who made a write: the OAuth app through the API, a person through /_sim/ui, or the seeder (silent). */
export type WriteSource = 'API' | 'UI' | 'SEED';

export interface HistoryEntry {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface StoredRecord {
  id: string;
  /** Only non-empty values; every value is a string, as on the wire. */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  createdBy: WriteSource;
  /** Per-property change history, kept lazily: a property without an entry still holds its creation value. */
  history?: Record<string, HistoryEntry[]>;
}

export type RecordChange =
  | { kind: 'created'; type: ObjectType; record: StoredRecord; changes: Array<[string, string]>; source: WriteSource; at: number }
  | { kind: 'updated'; type: ObjectType; record: StoredRecord; changes: Array<[string, string | null]>; source: WriteSource; at: number; userId?: number }
  | { kind: 'archived'; type: ObjectType; record: StoredRecord; source: WriteSource; at: number }
  /** `merged` was merged into `record` (the primary) and is archived. */
  | { kind: 'merged'; type: ObjectType; record: StoredRecord; merged: StoredRecord; source: WriteSource; at: number };

export type ChangeListener = (change: RecordChange) => void;
