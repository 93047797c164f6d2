import type { FailureRow } from '../store/types';
import type { CauseGroup } from './types';

/**
 * Order of causes in the report: what a person can fix now (bad data, duplicates, missing records) first, then
 * what needs an admin (auth, refused requests), and last what Temporal is still retrying on its own.
 */
const CATEGORY_RANK: Record<string, number> = {
  validation: 0,
  conflict: 1,
  not_found: 2,
  auth: 3,
  permanent: 4,
  rate_limited: 6,
  transient: 7,
};
const UNKNOWN_CATEGORY_RANK = 5;

const CATEGORY_LABEL: Record<string, string> = {
  validation: 'data rejected',
  conflict: 'duplicate record',
  not_found: 'record not found',
  auth: 'authentication failed',
  permanent: 'request refused',
  rate_limited: 'rate limited',
  transient: 'temporary errors',
};

export function categoryRank(category: string): number {
  return CATEGORY_RANK[category] ?? UNKNOWN_CATEGORY_RANK;
}

export function refKey(row: FailureRow): string {
  return `${row.ref.system}:${row.ref.object}:${row.ref.id}`;
}

const normalise = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The reason without the rejected value that our own validation quotes first (`"a@b" is not a valid email
 * address`): one cause must gather every record that has it, whatever each one's value.
 */
function genericReason(reason: string): string {
  return reason.trim().replace(/^"(?:[^"\\]|\\.)*"\s+/, '').replace(/\s+/g, ' ');
}

/** CRM error codes such as INVALID_EMAIL read as "invalid email". */
function readable(reason: string): string {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(reason) ? reason.toLowerCase().replace(/_/g, ' ') : reason;
}

function causeKey(row: FailureRow): string {
  const first = row.fields[0];
  return first ? `${row.category}|${first.field}|${normalise(readable(genericReason(first.reason)))}` : `${row.category}|`;
}

/**
 * "invalid email" as given; a bare reason like "invalid" gets its field, and a predicate ("is required …") is
 * prefixed with it, so the heading always says what is wrong with what.
 */
function causeLabel(rows: FailureRow[], category: string): string {
  const first = rows[0]?.fields[0];
  if (!first) return CATEGORY_LABEL[category] ?? category.replace(/_/g, ' ');
  const reason = readable(genericReason(first.reason));
  if (/^(is|are|must|cannot|exceeds)\b/i.test(reason)) return `${first.field} ${reason}`;
  return normalise(reason).includes(normalise(first.field)) ? reason : `${reason} (${first.field})`;
}

/** Open failures grouped by cause, most actionable first, then biggest first. */
export function groupOpenFailures(rows: FailureRow[]): CauseGroup[] {
  const byKey = new Map<string, FailureRow[]>();
  for (const row of rows) {
    if (row.recoveredAt !== null) continue;
    const key = causeKey(row);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const groups = [...byKey.entries()].map(([key, members]): CauseGroup => {
    const category = members[0]?.category ?? '';
    const sorted = [...members].sort((a, b) => a.firstFailedAt.localeCompare(b.firstFailedAt) || refKey(a).localeCompare(refKey(b)));
    return { key, label: causeLabel(sorted, category), category, recordCount: new Set(sorted.map(refKey)).size, rows: sorted };
  });
  return groups.sort(
    (a, b) =>
      categoryRank(a.category) - categoryRank(b.category) || b.recordCount - a.recordCount || a.label.localeCompare(b.label),
  );
}

/** Records that failed and have succeeded since; one line per record, and none that is failing again. */
export function recoveredRecords(rows: FailureRow[]): FailureRow[] {
  const stillOpen = new Set(rows.filter((row) => row.recoveredAt === null).map(refKey));
  const latest = new Map<string, FailureRow>();
  for (const row of rows) {
    if (row.recoveredAt === null || stillOpen.has(refKey(row))) continue;
    const seen = latest.get(refKey(row));
    if (!seen || (seen.recoveredAt ?? '') < row.recoveredAt) latest.set(refKey(row), row);
  }
  return [...latest.values()].sort((a, b) => (a.recoveredAt ?? '').localeCompare(b.recoveredAt ?? ''));
}
