import { z } from 'zod';
import { REFERENCES, type CrmObject, type Reference } from '../../domain/records';
import type { HubspotApi } from './api';
import { batchErrorToCrmError } from './api-error';
import { AssociationSpecAssociationCategoryEnum } from './sdk-enums';
import { kindOf, type AssociationKind, type ReferenceIds } from './association-kinds';
import { OBJECT_TYPE } from './snapshot';

const Associated = z.object({
  toObjectId: z.union([z.string(), z.number()]).transform(String),
  associationTypes: z.array(z.object({ typeId: z.number() })).catch([]),
});
type Associated = z.infer<typeof Associated>;

/** The real API types toObjectId as a string but is widely observed sending numbers (UNCONFIRMED); accept both. */
const parseAssociated = (raw: unknown[]): Associated[] => raw.map((item) => Associated.parse(item));

const followed = (kind: AssociationKind, list: Associated[]): string | null =>
  (list.find((a) => a.associationTypes.some((t) => t.typeId === kind.primary)) ?? list[0])?.toObjectId ?? null;

export interface ReferenceLinks {
  /** Makes `toId` the record's followed partner for `reference` (null: none); returns whether anything changed. */
  set(object: CrmObject, reference: Reference, id: string, toId: string | null): Promise<boolean>;
  /** The followed partner for `reference` of each record; records that follow none are absent. */
  followedMany(object: CrmObject, reference: Reference, ids: string[]): Promise<Map<string, string>>;
  /** Every reference of each record (null where it follows none); objects without references get an empty map. */
  readMany(object: CrmObject, ids: string[]): Promise<Map<string, ReferenceIds>>;
  /** One batch of new associations for records that follow no partner yet; per-input refusals fail the whole call. */
  addMany(object: CrmObject, reference: Reference, pairs: { id: string; toId: string }[]): Promise<void>;
}

/**
 * A reference as the sync sees it (a contact's company, a deal's contact and company): one partner per record, the
 * primary association where the pair has one, else the first listed. Setting it associates the new partner (labelled
 * primary where the pair has that label, so reads and the other systems agree on one partner even when the record
 * keeps others) and removes the association to the partner followed before.
 */
export function createReferenceLinks(api: HubspotApi): ReferenceLinks {
  const primarySpec = (kind: AssociationKind) =>
    [kind.unlabeled, kind.primary].flatMap((typeId) =>
      typeId === undefined ? [] : [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: typeId }],
    );

  const followedMany = async (object: CrmObject, reference: Reference, ids: string[]): Promise<Map<string, string>> => {
    const kind = kindOf(object, reference.object);
    const batch = await api.call(`read ${object} associations`, (client, options) =>
      client.crm.associations.v4.batchApi.getPage(OBJECT_TYPE[object], OBJECT_TYPE[reference.object], { inputs: ids.map((id) => ({ id })) }, options),
    );
    const out = new Map<string, string>();
    // Records without associations come back as per-input errors (207); they simply follow no partner.
    for (const result of batch.results) {
      const partner = followed(kind, parseAssociated(result.to));
      if (partner !== null) out.set(String(result._from.id), partner);
    }
    return out;
  };

  return {
    followedMany,

    async set(object, reference, id, toId) {
      const kind = kindOf(object, reference.object);
      const [from, to] = [OBJECT_TYPE[object], OBJECT_TYPE[reference.object]];
      const page = await api.call(`read ${object} associations`, (client, options) =>
        client.crm.associations.v4.basicApi.getPage(from, id, to, undefined, 500, options),
      );
      const current = parseAssociated(page.results);
      const previous = followed(kind, current);
      if (previous === toId) return false;
      if (toId !== null) {
        if (kind.primary !== undefined) {
          // The labelled PUT also creates the association when it is missing.
          await api.call(`label primary ${reference.object}`, (client, options) =>
            client.crm.associations.v4.basicApi.create(from, id, to, toId, primarySpec(kind), options),
          );
        } else if (!current.some((a) => a.toObjectId === toId)) {
          await api.call(`associate ${object}`, (client, options) => client.crm.associations.v4.basicApi.createDefault(from, id, to, toId, options));
        }
      }
      if (previous !== null) {
        await api.call(`dissociate ${object}`, (client, options) => client.crm.associations.v4.basicApi.archive(from, id, to, previous, options));
      }
      return true;
    },

    async readMany(object, ids) {
      const out = new Map<string, ReferenceIds>();
      if (REFERENCES[object].length === 0 || ids.length === 0) return out;
      for (const id of ids) out.set(id, {});
      for (const reference of REFERENCES[object]) {
        const partners = await followedMany(object, reference, ids);
        for (const [id, references] of out) references[reference.key] = partners.get(id) ?? null;
      }
      return out;
    },

    async addMany(object, reference, pairs) {
      const kind = kindOf(object, reference.object);
      const [from, to] = [OBJECT_TYPE[object], OBJECT_TYPE[reference.object]];
      const inputs = pairs.map((p) => ({ _from: { id: p.id }, to: { id: p.toId } }));
      const answer = await api.call(`associate ${object}s`, async (client, options): Promise<{ status: string; errors?: unknown[] }> =>
        kind.primary === undefined
          ? await client.crm.associations.v4.batchApi.createDefault(from, to, { inputs }, options)
          : await client.crm.associations.v4.batchApi.create(from, to, { inputs: inputs.map((input) => ({ ...input, types: primarySpec(kind) })) }, options),
      );
      // A 207 wrote the others: the caller redoes the batch one record at a time, which finds the refused one.
      const refused = answer.errors?.[0];
      if (refused !== undefined) throw batchErrorToCrmError(`associate ${object}s`, refused);
    },
  };
}
