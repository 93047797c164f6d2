import { HubspotError } from './errors';

export const OBJECT_TYPES = ['contacts', 'companies'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** HubSpot accepts the plural, the singular and the numeric type id in paths. */
const ALIASES: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
};

export const OBJECT_TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', companies: '0-2' };

/** The property HubSpot bumps on every write (the two objects differ). */
export const MODIFIED_PROPERTY: Record<ObjectType, string> = {
  contacts: 'lastmodifieddate',
  companies: 'hs_lastmodifieddate',
};

/** Singular name used in webhook subscription types and messages. */
export const SINGULAR: Record<ObjectType, 'contact' | 'company'> = { contacts: 'contact', companies: 'company' };

export function parseObjectType(raw: string): ObjectType {
  const type = ALIASES[raw.toLowerCase()];
  if (!type) throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${raw}`);
  return type;
}

export function otherType(type: ObjectType): ObjectType {
  return type === 'contacts' ? 'companies' : 'contacts';
}
