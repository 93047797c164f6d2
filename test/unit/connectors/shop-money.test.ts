import { minorToMajor, minorUnitDigits } from '../../../src/connectors/shop/money';

describe('shop amounts: minor units → major-unit decimal strings', () => {
  test('the currency decides the digits (ISO 4217 minor unit)', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('BHD')).toBe(3);
  });

  test.each([
    [1250, 'EUR', '12.50'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [100, 'USD', '1.00'],
    [1250, 'JPY', '1250'],
    [0, 'JPY', '0'],
    [1250, 'BHD', '1.250'],
    [7, 'BHD', '0.007'],
    [-1999, 'EUR', '-19.99'],
  ])('%d %s → %s', (minor, currency, expected) => {
    expect(minorToMajor(minor, currency)).toBe(expected);
  });

  test('no floating-point tails, even where dividing would produce them', () => {
    // 0.1 + 0.2 and 1.15 * 100 are the classic cases; the digits are moved, never divided
    expect(minorToMajor(30, 'EUR')).toBe('0.30');
    expect(minorToMajor(115, 'EUR')).toBe('1.15');
    expect(minorToMajor(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('90071992547409.91');
  });

  test('refuses amounts that lost precision before they got here', () => {
    expect(() => minorToMajor(2 ** 53, 'EUR')).toThrow(RangeError);
    expect(() => minorToMajor(1.5, 'EUR')).toThrow(RangeError);
  });
});
