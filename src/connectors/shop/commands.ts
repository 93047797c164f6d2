import { randomUUID } from 'node:crypto';
import { fromCanonical } from '../../domain/mapping';
import type { CrmObject, FieldValues, SystemName } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { PermanentCrmError, ValidationError } from '../errors';
import { COLLECTION, SHOP } from './snapshot';

/** The objects the shop takes commands for; purchases are only ever made in the shop. */
export type ShopCommandObject = Extract<CrmObject, 'contact' | 'company'>;

export const SHOP_COMMAND_TYPE = { contact: 'user.upsert', company: 'business.upsert' } as const satisfies Record<ShopCommandObject, string>;
export type ShopCommandType = (typeof SHOP_COMMAND_TYPE)[ShopCommandObject];

/** A command as docs/shop-contract.asyncapi.yaml defines it; published with routing key = `type`. */
export interface ShopUpsertCommand {
  specversion: '1.0';
  id: string;
  source: string;
  type: ShopCommandType;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  correlationid: string;
  data: {
    shop_id: string | null;
    external_ids: Record<SystemName, string>;
    attributes: Record<string, string | null>;
  };
}

export interface ShopUpsertInput {
  object: CrmObject;
  /** The shop record the entity is linked to already, or null to let the shop match or create one. */
  shopId: string | null;
  /** Canonical values to set; only the columns the rules write to the shop are sent. */
  fields: FieldValues;
  /**
   * Canonical values the record holds now (an update): only the attribute the command cannot go without (the user's
   * email, the business's name) is taken from them when `fields` lacks it; every other attribute left out stays as the
   * shop holds it.
   */
  held?: FieldValues;
  /** Contacts: the shop id of the user's business (null: none); undefined leaves the user's business as it is. */
  companyId?: string | null;
  /** The entity's records in the CRMs, keyed by system: how the shop finds the record when shop_id is unknown. */
  externalIds: Record<SystemName, string>;
  /** Copied into the reply; the workflow waits for the reply that carries it. */
  correlationId: string;
  /** CloudEvents source of crm-sync, e.g. urn:crm-sync. */
  source: string;
  /** CloudEvents id; default a fresh UUID. */
  id?: string;
  /** default now */
  time?: string;
}

/** Attributes the contract lets be null; any other string is cleared with "" (its "nothing"). */
const NULLABLE_ATTRIBUTES = new Set(['domain', 'business_id']);
/** The attribute each command cannot do without (UserAttributes/BusinessAttributes `required`). */
const REQUIRED_ATTRIBUTE: Record<ShopCommandObject, string> = { contact: 'email', company: 'name' };

function commandObject(object: CrmObject): ShopCommandObject {
  if (object === 'deal') throw new PermanentCrmError('The shop takes no commands for deals: purchases are made in the shop only');
  return object;
}

function attributesOf(rules: SyncRules, object: ShopCommandObject, fields: FieldValues): Record<string, string | null> {
  const attributes: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(fromCanonical(rules, SHOP, object, fields))) {
    attributes[field] = value ?? (NULLABLE_ATTRIBUTES.has(field) ? null : '');
  }
  return attributes;
}

/**
 * The user.upsert / business.upsert command that creates or updates the entity's shop record. Refuses what the shop
 * would reject for sure (no CRM id, no email or name), so a contract breach fails here rather than as a reply.
 */
export function shopUpsertCommand(rules: SyncRules, input: ShopUpsertInput): ShopUpsertCommand {
  const object = commandObject(input.object);
  if (Object.keys(input.externalIds).length === 0) throw new PermanentCrmError(`A shop ${object} command needs at least one CRM id`);
  const attributes = attributesOf(rules, object, input.fields);
  const required = REQUIRED_ATTRIBUTE[object];
  const held = input.held && attributesOf(rules, object, input.held)[required];
  if (attributes[required] === undefined && held !== undefined) attributes[required] = held;
  if (object === 'contact' && input.companyId !== undefined) attributes.business_id = input.companyId;
  if (!attributes[required]) throw new ValidationError(`A shop ${object} needs a ${required}`, [{ field: required, reason: 'required' }]);
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: SHOP_COMMAND_TYPE[object],
    time: input.time ?? new Date().toISOString(),
    ...(input.shopId === null ? {} : { subject: `${COLLECTION[object]}/${input.shopId}` }),
    datacontenttype: 'application/json',
    correlationid: input.correlationId,
    data: { shop_id: input.shopId, external_ids: { ...input.externalIds }, attributes },
  };
}
