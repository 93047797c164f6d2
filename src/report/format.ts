import type { FailureRow } from '../store/types';

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2026-11-03 08:05 UTC": readable in any mail client and unambiguous across time zones. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const MAX_MESSAGE = 500;

/** CRM error messages can be multi-line JSON dumps; one bounded line keeps the report scannable. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

export function fieldsText(row: FailureRow): string {
  return row.fields.map((problem) => `${problem.field} (${oneLine(problem.reason)})`).join(', ');
}

export function failedText(row: FailureRow): string {
  return `${plural(row.attempts, 'time')}, first ${formatTime(row.firstFailedAt)}, last ${formatTime(row.lastFailedAt)}`;
}
