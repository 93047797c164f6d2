import { domainToUrl, normaliseDomain, normaliseEmail, normaliseNumber, normalisePhone, rawToText } from '../../../src/domain/normalise';

describe('rawToText', () => {
  it.each([
    [undefined, null],
    [null, null],
    ['', null],
    ['   ', null],
    ['  Ada  ', 'Ada'],
    [250, '250'],
    [0, '0'],
    [Number.NaN, null],
    [true, 'true'],
    [{ name: ' Acme Ltd ', id: '5725767000007910001' }, 'Acme Ltd'],
    [{ id: '1' }, null],
    [['A', ' B ', null, ''], 'A;B'],
    [[], null],
  ])('%p → %p', (raw, expected) => {
    expect(rawToText(raw)).toBe(expected);
  });
});

describe('normaliseEmail', () => {
  it('trims and lowercases', () => {
    expect(normaliseEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });
});

describe('normaliseDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['EXAMPLE.com', 'example.com'],
    ['https://www.example.com/', 'example.com'],
    ['http://www.Example.com/about/team?x=1#top', 'example.com'],
    ['www.example.co.uk', 'example.co.uk'],
    ['//cdn.example.com/path', 'cdn.example.com'],
    ['https://user:pw@shop.example.com:8443/cart', 'shop.example.com'],
    ['example.com.', 'example.com'],
    ['wwwexample.com', 'wwwexample.com'],
    ['  ', ''],
  ])('%p → %p', (raw, expected) => {
    expect(normaliseDomain(raw)).toBe(expected);
  });

  it('is idempotent and inverts domainToUrl', () => {
    const domain = normaliseDomain('HTTPS://WWW.Acme.io/x');
    expect(normaliseDomain(domain)).toBe(domain);
    expect(domainToUrl(domain)).toBe('https://acme.io');
    expect(normaliseDomain(domainToUrl(domain))).toBe(domain);
  });
});

describe('normalisePhone', () => {
  it.each([
    ['+1 (555) 123-4567', '1', '+15551234567'],
    ['(555) 123-4567', '1', '+15551234567'],
    ['1-555-123-4567', '1', '+15551234567'],
    ['555.123.4567', '1', '+15551234567'],
    ['07700 900123', '44', '+447700900123'],
    ['0044 7700 900123', '1', '+447700900123'],
    ['+44 (0)20 7946 0958', '1', '+442079460958'],
    ['447700900123', '44', '+447700900123'],
    ['555-123-4567 ext. 89', '1', '+15551234567'],
    ['555-123-4567 x89', '1', '+15551234567'],
    ['+49 30 901820', '44', '+4930901820'],
    ['n/a', '1', 'n/a'],
  ])('%p with default +%s → %p', (raw, country, expected) => {
    expect(normalisePhone(raw, country)).toBe(expected);
  });

  it('leaves national numbers as digits without a default country code', () => {
    expect(normalisePhone('(555) 123-4567', null)).toBe('5551234567');
    expect(normalisePhone('+1 555 123 4567', null)).toBe('+15551234567');
  });

  it('is idempotent', () => {
    for (const raw of ['(555) 123-4567', '07700 900123', '0044 20 7946 0958', 'unknown']) {
      const once = normalisePhone(raw, '44');
      expect(normalisePhone(once, '44')).toBe(once);
    }
  });
});

describe('normaliseNumber', () => {
  it.each([
    ['250', '250'],
    [' 1,250 ', '1250'],
    ['1 000 000', '1000000'],
    ['0250', '250'],
    ['250.0', '250'],
    ['12.50', '12.5'],
    ['.5', '0.5'],
    ['+7', '7'],
    ['-0', '0'],
    ['-12.300', '-12.3'],
    ['0', '0'],
    ['98765432109876543210', '98765432109876543210'],
    ['about 50', 'about 50'],
    ['.', '.'],
  ])('%p → %p', (raw, expected) => {
    expect(normaliseNumber(raw)).toBe(expected);
  });
});
