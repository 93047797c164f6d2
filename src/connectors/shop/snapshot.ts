import { z } from 'zod';
import { crossRefsIn, toCanonical } from '../../domain/mapping';
import type { CrmObject, RecordSnapshot } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { TransientCrmError } from '../errors';
import { minorToMajor } from './money';

/** This connector's name in the registry, the rules and the cross-references. */
export const SHOP = 'shop';

export type ShopCollection = 'users' | 'businesses' | 'purchases';

export const COLLECTION: Record<CrmObject, ShopCollection> = { contact: 'users', company: 'businesses', deal: 'purchases' };

/** Wire shapes of docs/shop-api.openapi.yaml; unknown keys are kept, so a column a rules file maps is read too. */
const ShopId = z.string().regex(/^[1-9][0-9]{0,17}$/);
const Timestamp = z.iso.datetime({ offset: true });
const Base = z.looseObject({
  id: ShopId,
  version: z.number().int().min(1),
  created_at: Timestamp,
  updated_at: Timestamp,
  external_ids: z.record(z.string(), z.string()),
});
const User = Base.extend({ business_id: ShopId.nullable() });
const Purchase = Base.extend({
  user_id: ShopId,
  business_id: ShopId.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  total_minor: z.number().int().min(0),
  refunded_minor: z.number().int().min(0),
});

/**
 * The fields a purchase's columns are read from: its own plus the ones the deal mappings name that the shop does not
 * store. The amount is net of refunds (a refund is explicit in the shop, and a deal should say what was kept).
 */
function purchaseWire(purchase: z.infer<typeof Purchase>): Record<string, unknown> {
  return {
    ...purchase,
    name: `Purchase ${purchase.id}`,
    amount: minorToMajor(purchase.total_minor - purchase.refunded_minor, purchase.currency),
    created_at: new Date(Date.parse(purchase.created_at)).toISOString(),
  };
}

/** A read-API answer checked against its contract; `what` names it in the error ("contact", "body to list contact"). */
export function parseWire<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  // Issues are not quoted: they may carry the record's values (personal data).
  if (!parsed.success) throw new TransientCrmError(`Shop answered an unexpected ${what}`);
  return parsed.data;
}

/** A record as the read API answers it → a snapshot. */
export function toSnapshot(rules: SyncRules, object: CrmObject, raw: unknown): RecordSnapshot {
  const meta = (record: z.infer<typeof Base>) => ({
    ref: { system: SHOP, object, id: record.id },
    version: String(record.version),
    modifiedAt: Date.parse(record.updated_at),
    crossRefs: crossRefsIn(rules, SHOP, object, record.external_ids),
  });
  switch (object) {
    case 'contact': {
      const user = parseWire(User, raw, object);
      return { ...meta(user), fields: toCanonical(rules, SHOP, object, user), companyId: user.business_id };
    }
    case 'company': {
      const business = parseWire(Base, raw, object);
      return { ...meta(business), fields: toCanonical(rules, SHOP, object, business) };
    }
    case 'deal': {
      const purchase = parseWire(Purchase, raw, object);
      return { ...meta(purchase), fields: toCanonical(rules, SHOP, object, purchaseWire(purchase)), companyId: purchase.business_id, contactId: purchase.user_id };
    }
  }
}
