/** Digits after the decimal point in the currency's major unit (ISO 4217 minor unit): EUR 2, JPY 0, BHD 3. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An amount in minor units as a decimal string in major units, with exactly the currency's digits ("12.50" EUR,
 * "1250" JPY, "1.250" BHD). Built from the integer's digits: dividing by 100 in floating point would print
 * 0.1 + 0.2-style tails.
 */
export function minorToMajor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount in minor units must be a safe integer, got ${minor}`);
  const digits = minorUnitDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor));
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
