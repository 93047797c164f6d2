/**
 * What every record must hold once the faults clear, from what the suite itself did through the CRMs' person-facing
 * routes, and the judge that compares it with what the CRMs hold. Records are known by their e-mail (unique in the
 * suite's data), so a record created twice in one system is seen as a duplicate whatever its ids are.
 */
export type CrmName = 'hubspot' | 'zoho';

/** A contact field both CRMs hold, and which one a person edits it in: its last edit is then well defined. */
export interface ContactField {
  hubspot: string;
  zoho: string;
  owner: CrmName;
}

/**
 * The fields the suite edits and checks. Free-text fields only: they map one to one (no transform) and play no part in
 * who holds a record (Lead_Status decides whether HubSpot holds a contact created in Zoho, so it is only ever set at
 * create).
 */
export const CONTACT_FIELDS = {
  jobTitle: { hubspot: 'jobtitle', zoho: 'Title', owner: 'hubspot' },
  city: { hubspot: 'city', zoho: 'Mailing_City', owner: 'hubspot' },
  firstName: { hubspot: 'firstname', zoho: 'First_Name', owner: 'zoho' },
  country: { hubspot: 'country', zoho: 'Mailing_Country', owner: 'zoho' },
  lastName: { hubspot: 'lastname', zoho: 'Last_Name', owner: 'zoho' },
} as const satisfies Record<string, ContactField>;

export type FieldName = keyof typeof CONTACT_FIELDS;
export const FIELD_NAMES = Object.keys(CONTACT_FIELDS) as FieldName[];

/** The fields the load edits after create: two owned by each CRM. */
export const EDITED_FIELDS: readonly FieldName[] = ['jobTitle', 'firstName', 'city', 'country'];

interface ExpectedRecord {
  /** the systems that must hold it in the end */
  holders: CrmName[];
  fields: Partial<Record<FieldName, string>>;
}

/** Everything the suite changed, as the final state it implies. */
export class Oracle {
  private readonly records = new Map<string, ExpectedRecord>();

  /** A record created in `origin` with these values; `holders` are the systems the sync rules make it reach. */
  created(email: string, holders: CrmName[], fields: Partial<Record<FieldName, string>>): void {
    const key = email.toLowerCase();
    if (this.records.has(key)) throw new Error(`the suite created ${email} twice`);
    this.records.set(key, { holders: [...holders], fields: { ...fields } });
  }

  /** A person's edit, acknowledged by the CRM. Edits of one field are made one after the other, so the last one wins. */
  edited(email: string, field: FieldName, value: string): void {
    const record = this.records.get(email.toLowerCase());
    if (!record) throw new Error(`edit of a record the suite never created: ${email}`);
    record.fields[field] = value;
  }

  expectations(): ReadonlyMap<string, Readonly<ExpectedRecord>> {
    return this.records;
  }
}

/** One CRM record as the judge reads it: its id, e-mail and the checked fields (null when empty). */
export interface SeenRecord {
  id: string;
  email: string | null;
  fields: Partial<Record<FieldName, string | null>>;
}

export type CrmSnapshot = Record<CrmName, SeenRecord[]>;

export interface LostUpdate {
  email: string;
  field: FieldName;
  system: CrmName;
  recordId: string;
  expected: string;
  actual: string | null;
}

export interface Duplicate {
  system: CrmName;
  email: string;
  ids: string[];
}

export interface MissingRecord {
  system: CrmName;
  email: string;
}

export interface Verdict {
  /** one entry per field and system not holding the last edit */
  lostUpdates: LostUpdate[];
  duplicates: Duplicate[];
  missing: MissingRecord[];
}

/** Fields (record and field, whichever system is wrong) not holding their last edit: the lost-update figure. */
export function lostFieldCount(verdict: Verdict): number {
  return new Set(verdict.lostUpdates.map((lost) => `${lost.email}\u0000${lost.field}`)).size;
}

export function isClean(verdict: Verdict): boolean {
  return verdict.lostUpdates.length === 0 && verdict.duplicates.length === 0 && verdict.missing.length === 0;
}

/**
 * Compares what the CRMs hold with what the oracle expects. Only records the suite made are judged (the CRMs may hold
 * others); a record missing from a system counts as missing, not as lost updates of each of its fields.
 */
export function judge(expected: ReadonlyMap<string, Readonly<ExpectedRecord>>, snapshot: CrmSnapshot): Verdict {
  const verdict: Verdict = { lostUpdates: [], duplicates: [], missing: [] };
  for (const system of ['hubspot', 'zoho'] as const) {
    const byEmail = new Map<string, SeenRecord[]>();
    for (const record of snapshot[system]) {
      const email = record.email?.toLowerCase();
      if (!email || !expected.has(email)) continue;
      byEmail.set(email, [...(byEmail.get(email) ?? []), record]);
    }
    for (const [email, records] of byEmail) {
      if (records.length > 1) verdict.duplicates.push({ system, email, ids: records.map((r) => r.id) });
    }
    for (const [email, record] of expected) {
      if (!record.holders.includes(system)) continue;
      const seen = byEmail.get(email);
      if (!seen?.length) {
        verdict.missing.push({ system, email });
        continue;
      }
      for (const [field, value] of Object.entries(record.fields) as [FieldName, string][]) {
        // of duplicates, the judge wants one holding the value: the duplicate itself is already counted
        if (seen.some((r) => r.fields[field] === value)) continue;
        const first = seen[0];
        if (first) verdict.lostUpdates.push({ email, field, system, recordId: first.id, expected: value, actual: first.fields[field] ?? null });
      }
    }
  }
  return verdict;
}
