/**
 * Zoho exposes Created_Time/Modified_Time as ISO-8601 with the org's offset and whole seconds
 * (e.g. 2023-05-10T01:10:47-07:00). Stored times are truncated to the second at write time, so two
 * writes to one record within the same second carry the same Modified_Time, exactly as on the real API.
 */
export function truncateToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export function formatZohoTime(ms: number, offsetMinutes: number): string {
  const shifted = new Date(ms + offsetMinutes * 60_000);
  const base = shifted.toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${base}${sign}${hh}:${mm}`;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of an ISO date-time that carries a zone, or null (Zoho rejects zone-less date-times). */
export function parseZohoTime(value: string): number | null {
  if (!ISO_WITH_ZONE.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** 19-digit numeric ids like Zoho's: an org prefix plus a counter, so ids sort as strings and as numbers. */
export class IdSequence {
  constructor(
    private readonly prefix: string,
    private next: number,
  ) {}

  take(): string {
    const id = `${this.prefix}${String(this.next).padStart(19 - this.prefix.length, '0')}`;
    this.next += 1;
    return id;
  }

  get current(): number {
    return this.next;
  }

  set current(value: number) {
    this.next = value;
  }
}
