import { HubspotError } from './errors';

export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** HubSpot accepts the plural, the singular and the numeric type id in paths. */
const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
};

export const OBJECT_TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', companies: '0-2', deals: '0-3' };

/** The property HubSpot bumps on every write (contacts differ from the others). */
export const MODIFIED_PROPERTY: Record<ObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
  deals: 'hs_lastmodifieddate',
};

/** Singular name used in webhook subscription types and messages. */
export const SINGULAR: Record<ObjectType, 'contact' | 'company' | 'deal'> = { contacts: 'contact', companies: 'company', deals: 'deal' };

/** The object type a path segment names, if any. */
export function findObjectType(raw: string): ObjectType | undefined {
  return ALIASES[raw.toLowerCase()];
}

export function parseObjectType(raw: string): ObjectType {
  const type = findObjectType(raw);
  if (!type) throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

/** One value per object type, built by `make`. */
export function perType<T>(make: (type: ObjectType) => T): Record<ObjectType, T> {
  return { contacts: make('contacts'), companies: make('companies'), deals: make('deals') };
}
