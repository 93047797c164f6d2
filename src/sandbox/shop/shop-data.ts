import type { MonotonicClock } from '../common/clock';
import { conflict, invalid, notFound } from './errors';
import type { BusinessInput, PurchaseInput, UserInput } from './inputs';
import type { ShopSimulatorOptions } from './options';
import { Table, type Business, type Change, type ChangeKind, type Collection, type Fields, type Purchase, type PurchaseLine, type RecordOf, type User } from './records';

type Listener = (change: Change) => void;

/**
 * The shop's data and its rules (unique email and domain, references that must exist, totals computed from lines,
 * refunds never above the total). Every change is announced to the listeners, which publish the events; seeding
 * writes through `tables` directly and stays silent, like an import.
 */
export class ShopData {
  readonly tables: { [C in Collection]: Table<C> };
  private readonly listeners: Listener[] = [];

  constructor(options: ShopSimulatorOptions, clock: MonotonicClock) {
    this.tables = {
      users: new Table('users', options.firstId.users, clock),
      businesses: new Table('businesses', options.firstId.businesses, clock),
      purchases: new Table('purchases', options.firstId.purchases, clock),
    };
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  live<C extends Collection>(collection: C, id: string): RecordOf[C] {
    const row = this.tables[collection].live(id);
    if (!row) throw notFound(`${collection}/${id}`);
    return row;
  }

  createUser(input: Partial<UserInput> & { email: string }, externalIds: Record<string, string> = {}): User {
    const fields = { email: input.email.toLowerCase(), first_name: input.first_name ?? '', last_name: input.last_name ?? '', business_id: input.business_id ?? null };
    this.checkUser(fields);
    return this.announce('users', 'created', this.tables.users.insert(fields, externalIds));
  }

  updateUser(user: User, patch: Partial<UserInput>, externalIds: Record<string, string> = {}): User {
    const next = { ...patch, ...(patch.email === undefined ? {} : { email: patch.email.toLowerCase() }), external_ids: { ...user.external_ids, ...externalIds } };
    this.checkUser({ ...user, ...next }, user.id);
    return this.changed('users', user, this.tables.users.update(user, next), 'updated');
  }

  createBusiness(input: Partial<BusinessInput> & { name: string }, externalIds: Record<string, string> = {}): Business {
    const fields = { name: input.name, domain: input.domain ?? null };
    this.checkBusiness(fields);
    return this.announce('businesses', 'created', this.tables.businesses.insert(fields, externalIds));
  }

  updateBusiness(business: Business, patch: Partial<BusinessInput>, externalIds: Record<string, string> = {}): Business {
    const next = { ...patch, external_ids: { ...business.external_ids, ...externalIds } };
    this.checkBusiness({ ...business, ...next }, business.id);
    return this.changed('businesses', business, this.tables.businesses.update(business, next), 'updated');
  }

  createPurchase(input: Partial<PurchaseInput> & Pick<PurchaseInput, 'user_id' | 'currency' | 'status' | 'lines'>): Purchase {
    const fields = this.purchaseFields({ ...input, business_id: input.business_id ?? null, refunded_minor: 0 }, input.refunded_minor, true);
    return this.announce('purchases', 'created', this.tables.purchases.insert(fields));
  }

  updatePurchase(purchase: Purchase, patch: Partial<PurchaseInput>): Purchase {
    const merged = { ...purchase, ...patch, refunded_minor: purchase.refunded_minor };
    // References are checked only when they change: a purchase of a since-deleted user can still be refunded or cancelled.
    const relinked = patch.user_id !== undefined || patch.business_id !== undefined;
    const updated = this.tables.purchases.update(purchase, this.purchaseFields(merged, patch.refunded_minor, relinked));
    const kind: ChangeKind =
      updated.status === 'cancelled' && purchase.status !== 'cancelled' ? 'cancelled' : updated.refunded_minor > purchase.refunded_minor ? 'refunded' : 'updated';
    return this.changed('purchases', purchase, updated, kind);
  }

  /** Users and businesses are deleted (their purchases stay); a purchase is never deleted, it is cancelled. */
  remove(collection: Collection, id: string): void {
    if (collection === 'purchases') {
      this.updatePurchase(this.live('purchases', id), { status: 'cancelled' });
      return;
    }
    if (collection === 'businesses') {
      // Like a foreign key ON DELETE SET NULL: its users stay, without a business, and say so.
      for (const user of [...this.tables.users.all()]) if (user.deleted_at === null && user.business_id === id) this.updateUser(user, { business_id: null });
    }
    const deleted = { deleted_at: new Date().toISOString() };
    if (collection === 'users') this.announce('users', 'deleted', this.tables.users.update(this.live('users', id), deleted));
    else this.announce('businesses', 'deleted', this.tables.businesses.update(this.live('businesses', id), deleted));
  }

  /** `refund` is the amount asked for explicitly; without one, status "refunded" refunds the whole total. */
  private purchaseFields(input: PurchaseInput, refund: number | undefined, checkReferences: boolean): Fields<Purchase> {
    if (checkReferences) {
      this.live('users', input.user_id);
      if (input.business_id !== null) this.live('businesses', input.business_id);
    }
    const lines: PurchaseLine[] = input.lines.map((line) => ({ ...line, total_minor: line.quantity * line.unit_price_minor }));
    const total = lines.reduce((sum, line) => sum + line.total_minor, 0);
    const refunded = refund ?? (input.status === 'refunded' ? total : input.refunded_minor);
    if (refunded > total) throw invalid(`refunded_minor ${refunded} is above total_minor ${total}`, 'refunded_minor');
    const { user_id, business_id, currency, status } = input;
    return { user_id, business_id, currency, status, lines, total_minor: total, refunded_minor: refunded };
  }

  private checkUser(user: Pick<User, 'email' | 'business_id'>, selfId?: string): void {
    if (user.business_id !== null) this.live('businesses', user.business_id);
    for (const other of this.tables.users.all()) {
      if (other.deleted_at === null && other.id !== selfId && other.email === user.email) throw conflict(`email ${user.email} belongs to user ${other.id}`, 'email');
    }
  }

  private checkBusiness(business: Pick<Business, 'domain'>, selfId?: string): void {
    if (business.domain === null) return;
    for (const other of this.tables.businesses.all()) {
      if (other.deleted_at === null && other.id !== selfId && other.domain === business.domain) throw conflict(`domain ${business.domain} belongs to business ${other.id}`, 'domain');
    }
  }

  private changed<C extends Collection>(collection: C, before: RecordOf[C], after: RecordOf[C], kind: ChangeKind): RecordOf[C] {
    return after === before ? after : this.announce(collection, kind, after);
  }

  private announce<C extends Collection>(collection: C, kind: ChangeKind, record: RecordOf[C]): RecordOf[C] {
    for (const listener of this.listeners) listener({ collection, kind, record });
    return record;
  }
}
