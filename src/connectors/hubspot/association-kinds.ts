import type { CrmObject, RecordSnapshot, Reference } from '../../domain/records';
import { PermanentCrmError } from '../errors';

/** HUBSPOT_DEFINED type ids of an association read from the referring record's side. */
export interface AssociationKind {
  unlabeled: number;
  /** The "Primary" label, where HubSpot has one for the pair: a record has at most one primary partner. */
  primary?: number;
}

/** The association behind each reference of REFERENCES (contact → company, deal → contact, deal → company). */
const KINDS: Record<CrmObject, Partial<Record<CrmObject, AssociationKind>>> = {
  contact: { company: { unlabeled: 279, primary: 1 } },
  company: {},
  deal: { contact: { unlabeled: 3 }, company: { unlabeled: 341, primary: 5 } },
};

export function kindOf(from: CrmObject, to: CrmObject): AssociationKind {
  const kind = KINDS[from][to];
  // REFERENCES gained a reference this connector does not know how to store
  if (kind === undefined) throw new PermanentCrmError(`HubSpot keeps no association for a ${from}'s ${to}`);
  return kind;
}

/** How v3 reads (`?associations=`) name the primary type: `contact_to_company`, `deal_to_company`, or its id. */
export function primaryTypeNames(from: CrmObject, to: CrmObject): Set<string> {
  const { primary } = kindOf(from, to);
  return new Set(primary === undefined ? [] : [`${from}_to_${to}`, String(primary)]);
}

/** The ids a record's references point at, keyed as the snapshot and the write carry them. */
export type ReferenceIds = Partial<Pick<RecordSnapshot, Reference['key']>>;
