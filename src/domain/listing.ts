import type { RecordSnapshot } from './records';

/** Which records a listing (a backfill's pages, a count) covers. */
export interface ListFilter {
  /** inclusive lower bound of the modification time (ISO-8601 or epoch ms) */
  modifiedAfter?: string;
  /** exclusive upper bound of the modification time */
  modifiedBefore?: string;
  /** inclusive lower bound of the creation time: an initial load cut into batches by creation date */
  createdAfter?: string;
  /** exclusive upper bound of the creation time */
  createdBefore?: string;
  /** inclusive id range; ids compare as numbers */
  idFrom?: string;
  idTo?: string;
}

/** A ListFilter bound (ISO-8601 or epoch ms) as epoch ms; NaN when it is neither. */
export function boundInstantMs(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

export interface ListPageRequest extends ListFilter {
  cursor?: string;
  limit: number;
}

export interface ListPage {
  records: RecordSnapshot[];
  nextCursor?: string;
}
