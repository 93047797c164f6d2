/*
 * Value normalisers. Each is idempotent (normalising a normalised value changes nothing), which is what makes the
 * canonical round trip hold and keeps equal data on both sides comparing equal in the merge.
 */

/**
 * A raw wire value as trimmed text, or null when empty. Systems return numbers, booleans, lookups ({ name, id }) and
 * multi-select picklists (arrays) as JSON, or strings with multiple choices joined by ';'.
 */
export function rawToText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return emptyToNull(value.trim());
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return emptyToNull(value.map(rawToText).filter((v) => v !== null).join(';'));
  if (typeof value === 'object' && 'name' in value && typeof value.name === 'string') return emptyToNull(value.name.trim());
  return null;
}

function emptyToNull(text: string): string | null {
  return text === '' ? null : text;
}

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** "https://www.Example.com:8080/about?x#y" → "example.com": no scheme, credentials, www., port, path or trailing dot. */
export function normaliseDomain(value: string): string {
  let host = value.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  host = host.split(/[/?#]/, 1)[0] ?? '';
  host = host.replace(/^.*@/, '');
  host = host.replace(/:\d*$/, '');
  host = host.replace(/^www\./, '');
  return host.replace(/\.+$/, '');
}

export function domainToUrl(domain: string): string {
  return `https://${domain}`;
}

/**
 * E.164-like "+<digits>". Numbers written with "+" or "00" keep their country code; a national number gets the
 * default country code (dropping a trunk "0", also written "(0)"); 11+ digits that already start with the code are taken as
 * international. Extensions are dropped (E.164 has none). Text without digits is returned trimmed, for validation
 * to report. With no default code, national numbers stay bare digits (and fail the phone format check).
 */
export function normalisePhone(value: string, defaultCountryCode: string | null): string {
  // "(0)" is the UK-style trunk prefix written after the country code: never dialled internationally
  const main = value.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '').replace(/\(0\)/g, '');
  const digits = main.replace(/\D/g, '');
  if (digits === '') return value.trim();
  if (main.trim().startsWith('+')) return `+${digits}`;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (defaultCountryCode === null) return digits;
  if (digits.startsWith('0')) return `+${defaultCountryCode}${digits.slice(1)}`;
  if (digits.length >= 11 && digits.startsWith(defaultCountryCode)) return `+${digits}`;
  return `+${defaultCountryCode}${digits}`;
}

/**
 * Decimal numbers as plain strings: "1,250" / "1 250" / "0250.50" → "1250" / "1250" / "250.5". String arithmetic,
 * so large integers keep every digit. Anything else is returned trimmed, for validation to report.
 */
export function normaliseNumber(value: string): string {
  const compact = value.trim().replace(/[\s,_]/g, '');
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(compact);
  if (!match || `${match[2] ?? ''}${match[3] ?? ''}` === '') return value.trim();
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const unsigned = fraction ? `${integer}.${fraction}` : integer;
  const isZero = /^0(\.0*)?$/.test(unsigned);
  return match[1] === '-' && !isZero ? `-${unsigned}` : unsigned;
}
