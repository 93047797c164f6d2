import type { ObjectType } from './object-types';
import type { WriteSource } from './store-types';

/** HUBSPOT_DEFINED contact↔company type ids: each contact→company id has a company→contact twin. */
export const PRIMARY_CONTACT_TO_COMPANY = 1;
export const PRIMARY_COMPANY_TO_CONTACT = 2;
export const UNLABELED_CONTACT_TO_COMPANY = 279;
export const UNLABELED_COMPANY_TO_CONTACT = 280;

const TWIN: Record<number, number> = { 1: 2, 2: 1, 279: 280, 280: 279 };
const FROM_COMPANY = new Set([PRIMARY_COMPANY_TO_CONTACT, UNLABELED_COMPANY_TO_CONTACT]);

export const TYPE_LABEL: Record<number, string | null> = { 1: 'Primary', 2: 'Primary', 279: null, 280: null };
export const V3_TYPE_NAME: Record<number, string> = {
  1: 'contact_to_company',
  2: 'company_to_contact',
  279: 'contact_to_company_unlabeled',
  280: 'company_to_contact_unlabeled',
};

export function isKnownType(typeId: number): boolean {
  return typeId in TWIN;
}

/** Type id as seen from `from`'s side, given the contact→company id stored. */
export function typeFrom(from: ObjectType, contactSideId: number): number {
  return from === 'contacts' ? contactSideId : (TWIN[contactSideId] ?? contactSideId);
}

/** Normalises a type id given from either side to its contact→company form. */
export function contactSide(typeId: number): number {
  return FROM_COMPANY.has(typeId) ? (TWIN[typeId] ?? typeId) : typeId;
}

export interface AssociationChange {
  contactId: string;
  companyId: string;
  /** contact→company form (1 or 279). */
  typeId: number;
  removed: boolean;
  source: WriteSource;
}

/**
 * Contact↔company associations, stored once per pair as the set of contact→company type ids and read from
 * either side. A primary (1) always comes with the unlabeled (279) one, and a contact has one primary company.
 */
export class AssociationStore {
  private byContact = new Map<string, Map<string, Set<number>>>();
  private byCompany = new Map<string, Map<string, Set<number>>>();
  private readonly listeners: Array<(change: AssociationChange) => void> = [];

  onChange(listener: (change: AssociationChange) => void): void {
    this.listeners.push(listener);
  }

  /** Pairs touching a record: other id → type ids seen from `from`'s side. */
  list(from: ObjectType, id: string): Array<{ toId: string; typeIds: number[] }> {
    const side = (from === 'contacts' ? this.byContact : this.byCompany).get(id);
    if (!side) return [];
    return [...side.entries()].map(([toId, types]) => ({ toId, typeIds: [...types].sort((a, b) => a - b).map((t) => typeFrom(from, t)) }));
  }

  has(contactId: string, companyId: string): boolean {
    return (this.byContact.get(contactId)?.get(companyId)?.size ?? 0) > 0;
  }

  /** Adds type ids (contact→company form); returns true when anything changed. */
  add(contactId: string, companyId: string, typeIds: number[], source: WriteSource): boolean {
    const wanted = new Set(typeIds.map(contactSide));
    wanted.add(UNLABELED_CONTACT_TO_COMPANY);
    let changed = false;
    if (wanted.has(PRIMARY_CONTACT_TO_COMPANY)) {
      for (const [otherCompany, types] of this.byContact.get(contactId) ?? []) {
        if (otherCompany !== companyId && types.has(PRIMARY_CONTACT_TO_COMPANY)) {
          this.drop(contactId, otherCompany, [PRIMARY_CONTACT_TO_COMPANY], source);
        }
      }
    }
    const types = this.pair(contactId, companyId);
    for (const typeId of [...wanted].sort((a, b) => b - a)) {
      if (types.has(typeId)) continue;
      types.add(typeId);
      changed = true;
      this.emit({ contactId, companyId, typeId, removed: false, source });
    }
    return changed;
  }

  /** Removes the given type ids (all when omitted); removing the unlabeled one removes the pair. */
  remove(contactId: string, companyId: string, source: WriteSource, typeIds?: number[]): boolean {
    const types = this.byContact.get(contactId)?.get(companyId);
    if (!types) return false;
    const normalised = typeIds?.map(contactSide);
    const all = normalised === undefined || normalised.includes(UNLABELED_CONTACT_TO_COMPANY);
    return this.drop(contactId, companyId, all ? [...types] : normalised, source);
  }

  clear(): void {
    this.byContact.clear();
    this.byCompany.clear();
  }

  /** Every pair, for snapshots. */
  pairs(): Array<[string, string, number[]]> {
    const out: Array<[string, string, number[]]> = [];
    for (const [contactId, companies] of this.byContact) {
      for (const [companyId, types] of companies) out.push([contactId, companyId, [...types]]);
    }
    return out;
  }

  private drop(contactId: string, companyId: string, typeIds: number[], source: WriteSource): boolean {
    const types = this.byContact.get(contactId)?.get(companyId);
    if (!types) return false;
    let changed = false;
    for (const typeId of [...typeIds].sort((a, b) => a - b)) {
      if (!types.delete(typeId)) continue;
      changed = true;
      this.emit({ contactId, companyId, typeId, removed: true, source });
    }
    if (types.size === 0) {
      this.byContact.get(contactId)?.delete(companyId);
      this.byCompany.get(companyId)?.delete(contactId);
    }
    return changed;
  }

  private pair(contactId: string, companyId: string): Set<number> {
    let companies = this.byContact.get(contactId);
    if (!companies) {
      companies = new Map<string, Set<number>>();
      this.byContact.set(contactId, companies);
    }
    let contacts = this.byCompany.get(companyId);
    if (!contacts) {
      contacts = new Map<string, Set<number>>();
      this.byCompany.set(companyId, contacts);
    }
    let types = companies.get(companyId);
    if (!types) {
      types = new Set();
      companies.set(companyId, types);
      contacts.set(contactId, types);
    }
    return types;
  }

  private emit(change: AssociationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
