import type { ModuleName } from './fields';

/** Stored field values: lookups and Owner are kept as the referenced id; the view layer expands them. */
export type FieldValue = string | number | boolean | null;

export interface StoredRecord {
  id: string;
  module: ModuleName;
  values: Record<string, FieldValue>;
  createdMs: number;
  modifiedMs: number;
  createdBy: string;
  modifiedBy: string;
  deletedMs?: number;
  deletedBy?: string;
}

export interface ZohoUser {
  id: string;
  name: string;
  email: string;
  zuid: string;
}

/** Who made a change: the API caller (integration user) or a person in the "UI". */
export type Actor = 'api' | 'ui';
