import { z } from 'zod';
import type { HubspotApi } from './api';
import { AssociationSpecAssociationCategoryEnum } from './sdk-enums';

/** HUBSPOT_DEFINED contact → company type ids. */
const PRIMARY = 1;

const Associated = z.object({
  toObjectId: z.union([z.string(), z.number()]).transform(String),
  associationTypes: z.array(z.object({ typeId: z.number() })).catch([]),
});
type Associated = z.infer<typeof Associated>;

/** The real API types toObjectId as a string but is widely observed sending numbers (UNCONFIRMED); accept both. */
const parseAssociated = (raw: unknown[]): Associated[] => raw.map((item) => Associated.parse(item));

const followed = (list: Associated[]): string | null =>
  (list.find((a) => a.associationTypes.some((t) => t.typeId === PRIMARY)) ?? list[0])?.toObjectId ?? null;

export interface CompanyLink {
  /** Makes `companyId` the contact's followed company (null: none); returns whether anything changed. */
  set(contactId: string, companyId: string | null): Promise<boolean>;
  /** The followed (primary, else first) company of each contact; contacts without one are absent. */
  readMany(contactIds: string[]): Promise<Map<string, string>>;
}

/**
 * The contact ↔ company link as the sync sees it: one company per contact, HubSpot's primary association.
 * Setting it adds the default association, removes the association to the company followed before and, when
 * other companies stay associated, labels the new one primary, so reads and the other CRM agree on one company.
 */
export function createCompanyLink(api: HubspotApi): CompanyLink {
  return {
    async set(contactId, companyId) {
      const page = await api.call('read contact associations', (client, options) =>
        client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies', undefined, 500, options),
      );
      const current = parseAssociated(page.results);
      const previous = followed(current);
      if (previous === companyId) return false;
      if (companyId !== null) {
        if (!current.some((a) => a.toObjectId === companyId)) {
          await api.call('associate contact', (client, options) =>
            client.crm.associations.v4.basicApi.createDefault('contacts', contactId, 'companies', companyId, options),
          );
        }
        // Only needed when other companies stay associated: otherwise the new one is the only, hence followed, one.
        const remaining = current.filter((a) => a.toObjectId !== companyId && a.toObjectId !== previous);
        if (remaining.length > 0) {
          await api.call('label primary company', (client, options) =>
            client.crm.associations.v4.basicApi.create(
              'contacts',
              contactId,
              'companies',
              companyId,
              [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: PRIMARY }],
              options,
            ),
          );
        }
      }
      if (previous !== null && previous !== companyId) {
        await api.call('dissociate contact', (client, options) =>
          client.crm.associations.v4.basicApi.archive('contacts', contactId, 'companies', previous, options),
        );
      }
      return true;
    },

    async readMany(contactIds) {
      const out = new Map<string, string>();
      if (contactIds.length === 0) return out;
      const batch = await api.call('read contact associations', (client, options) =>
        client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: contactIds.map((id) => ({ id })) }, options),
      );
      // Contacts without associations come back as per-input errors (207); they simply have no company.
      for (const result of batch.results) {
        const company = followed(parseAssociated(result.to));
        if (company !== null) out.set(String(result._from.id), company);
      }
      return out;
    },
  };
}
