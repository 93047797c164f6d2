import { z } from 'zod';
import { PURCHASE_STATUSES } from './records';

/** Wire shapes of what a back-office person (/_sim/ui) or a command may set; the same rules for both, as in a real shop. */
const Id = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a shop id (a positive integer as a string)');
const Name = z.string().trim().max(100);

export const UserInput = z
  .object({
    email: z.email().max(254),
    first_name: Name,
    last_name: Name,
    business_id: Id.nullable(),
  })
  .strict();
export type UserInput = z.infer<typeof UserInput>;

export const BusinessInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .max(253)
      .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a domain name such as example.com')
      .nullable(),
  })
  .strict();
export type BusinessInput = z.infer<typeof BusinessInput>;

export const LineInput = z
  .object({
    sku: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(200),
    quantity: z.number().int().min(1).max(1_000_000),
    unit_price_minor: z.number().int().min(0).max(1_000_000_000_000),
  })
  .strict();

export const PurchaseInput = z
  .object({
    user_id: Id,
    business_id: Id.nullable(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as EUR'),
    status: z.enum(PURCHASE_STATUSES),
    lines: z.array(LineInput).min(1).max(100),
    /** A refund is explicit: the amount refunded so far, in minor units. Setting status "refunded" alone refunds it all. */
    refunded_minor: z.number().int().min(0),
  })
  .strict();
export type PurchaseInput = z.infer<typeof PurchaseInput>;

/** Creation: everything required except what has an obvious empty value. */
export const NewUser = UserInput.partial({ first_name: true, last_name: true, business_id: true });
export const NewBusiness = BusinessInput.partial({ domain: true });
export const NewPurchase = PurchaseInput.partial({ business_id: true, refunded_minor: true });
