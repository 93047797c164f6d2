import {
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  FREE_MAIL_DOMAINS,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  PLACES,
  STREETS,
  type Place,
} from './fake-words';
import { mulberry32 } from './seeded-random';

export interface FakeAddress {
  street: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

export interface FakeCompany extends FakeAddress {
  name: string;
  /** Unique within one generator. */
  domain: string;
  website: string;
  phone: string;
  industry: string;
  employees: number;
  annualRevenue: number;
}

export interface FakePerson extends FakeAddress {
  firstName: string;
  lastName: string;
  /** Unique (case-insensitively) within one generator. */
  email: string;
  phone: string;
  mobilePhone: string;
  jobTitle: string;
}

const slugCache = new Map<string, string>();

/** Lower-case ASCII slug: diacritics stripped, everything else dropped (memoised: inputs come from small word lists). */
export function slug(text: string): string {
  let out = slugCache.get(text);
  if (out === undefined) {
    out = text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '');
    slugCache.set(text, out);
  }
  return out;
}

/**
 * Deterministic realistic CRM data. Identical seeds and call sequences give identical output, so two
 * simulators (or two runs) seeded alike hold the same people and companies.
 */
export class FakeData {
  readonly random: () => number;
  private readonly emails = new Set<string>();
  private readonly domains = new Set<string>();
  /** Next suffix to try per base value, so uniqueness stays O(1) with many look-alike names. */
  private readonly suffixes = new Map<string, number>();

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  /** A moment between `fromMs` and `toMs`, as epoch milliseconds. */
  between(fromMs: number, toMs: number): number {
    return Math.floor(fromMs + this.random() * (toMs - fromMs));
  }

  phone(place: Place): string {
    return `${place.dialCode} ${this.int(200, 989)} ${String(this.int(0, 9999)).padStart(4, '0')}`;
  }

  address(): FakeAddress & { place: Place } {
    const place = this.pick(PLACES);
    const street = `${this.int(1, 2400)} ${this.pick(STREETS)}`;
    return { place, street, city: place.city, state: place.state, country: place.country, zip: place.zip };
  }

  company(): FakeCompany {
    const prefix = this.pick(COMPANY_PREFIXES);
    const suffix = this.pick(COMPANY_SUFFIXES);
    const name = `${prefix} ${suffix}`;
    const base = slug(prefix);
    const tld = this.pick(['com', 'com', 'com', 'io', 'co', 'net', 'org']);
    const domain = this.unique(this.domains, (n) => `${base}${n === 0 ? '' : String(n)}.${tld}`);
    const { place, ...address } = this.address();
    return {
      ...address,
      name,
      domain,
      website: `https://www.${domain}`,
      phone: this.phone(place),
      industry: this.pick(INDUSTRIES),
      employees: this.pick([5, 12, 25, 50, 120, 250, 800, 2500, 10000]),
      annualRevenue: this.int(1, 500) * 100_000,
    };
  }

  /** A person; with a company, usually employed there (work email on its domain). */
  person(company?: FakeCompany): FakePerson {
    const firstName = this.pick(FIRST_NAMES);
    const lastName = this.pick(LAST_NAMES);
    const workMail = company !== undefined && this.chance(0.85);
    const domain = workMail ? company.domain : this.pick(FREE_MAIL_DOMAINS);
    const first = slug(firstName);
    const last = slug(lastName);
    const local = this.pick([`${first}.${last}`, `${first.charAt(0)}${last}`, first]);
    const email = this.unique(this.emails, (n) => `${local}${n === 0 ? '' : String(n)}@${domain}`);
    const { place, ...address } = this.address();
    return {
      ...address,
      firstName,
      lastName,
      email,
      phone: this.phone(place),
      mobilePhone: this.phone(place),
      jobTitle: this.pick(JOB_TITLES),
    };
  }

  /** make(0) is the plain value; make(n) for n ≥ 2 adds a numeric suffix ("anna.lee2@..."). */
  private unique(used: Set<string>, make: (suffix: number) => string): string {
    const base = make(0).toLowerCase();
    for (let suffix = this.suffixes.get(base) ?? 0; ; suffix = suffix === 0 ? 2 : suffix + 1) {
      const candidate = make(suffix);
      const key = candidate.toLowerCase();
      if (!used.has(key)) {
        used.add(key);
        this.suffixes.set(base, suffix === 0 ? 2 : suffix + 1);
        return candidate;
      }
    }
  }
}
