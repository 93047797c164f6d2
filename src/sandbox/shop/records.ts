import type { MonotonicClock } from '../common/clock';

export const COLLECTIONS = ['users', 'businesses', 'purchases'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** The singular used in event and command types (`user.created`, `business.upsert`). */
export const ENTITY: Record<Collection, 'user' | 'business' | 'purchase'> = { users: 'user', businesses: 'business', purchases: 'purchase' };

export function parseCollection(value: string): Collection | undefined {
  return COLLECTIONS.find((collection) => collection === value);
}

export const PURCHASE_STATUSES = ['pending', 'paid', 'fulfilled', 'refunded', 'cancelled'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export interface RecordMeta {
  id: string;
  /** Grows by one with every change (the version events carry). */
  version: number;
  created_at: string;
  updated_at: string;
  /** CRM ids given by commands, keyed by system name. */
  external_ids: Record<string, string>;
  /** Set when deleted; the read API then answers 404 and /_sim/records still lists it. */
  deleted_at: string | null;
}

export interface User extends RecordMeta {
  email: string;
  first_name: string;
  last_name: string;
  business_id: string | null;
}

export interface Business extends RecordMeta {
  name: string;
  domain: string | null;
}

export interface PurchaseLine {
  sku: string;
  name: string;
  quantity: number;
  unit_price_minor: number;
  total_minor: number;
}

export interface Purchase extends RecordMeta {
  user_id: string;
  business_id: string | null;
  currency: string;
  status: PurchaseStatus;
  lines: PurchaseLine[];
  total_minor: number;
  refunded_minor: number;
}

export interface RecordOf {
  users: User;
  businesses: Business;
  purchases: Purchase;
}

export type Fields<T extends RecordMeta> = Omit<T, keyof RecordMeta>;

/** What changed, for the event it makes: `created`, `updated`, `deleted`, or for purchases `refunded`/`cancelled`. */
export type ChangeKind = 'created' | 'updated' | 'deleted' | 'refunded' | 'cancelled';
export interface Change {
  collection: Collection;
  kind: ChangeKind;
  record: RecordMeta;
}

/**
 * One collection, in id order (ids are handed out increasing, so insertion order is id order and keyset listing is a
 * walk). Records are replaced, never mutated, so a record handed out stays a consistent snapshot.
 */
export class Table<C extends Collection> {
  private readonly rows = new Map<string, RecordOf[C]>();
  private nextId: number;

  constructor(
    readonly collection: C,
    private readonly firstId: number,
    private readonly clock: MonotonicClock,
  ) {
    this.nextId = firstId;
  }

  get(id: string): RecordOf[C] | undefined {
    return this.rows.get(id);
  }

  /** Live (not deleted) record, or undefined. */
  live(id: string): RecordOf[C] | undefined {
    const row = this.rows.get(id);
    return row && row.deleted_at === null ? row : undefined;
  }

  all(): IterableIterator<RecordOf[C]> {
    return this.rows.values();
  }

  /** `at` (epoch ms) lets the seed back-date records; live writes use the clock. */
  insert(fields: Fields<RecordOf[C]>, externalIds: Record<string, string> = {}, at?: number): RecordOf[C] {
    const stamp = new Date(at ?? this.clock.next()).toISOString();
    const meta: RecordMeta = { id: String(this.nextId++), version: 1, created_at: stamp, updated_at: stamp, external_ids: { ...externalIds }, deleted_at: null };
    // The Fields and RecordMeta halves together are exactly RecordOf[C]; TypeScript cannot see that through the generic.
    const row = { ...fields, ...meta } as RecordOf[C];
    this.rows.set(row.id, row);
    return row;
  }

  /** Replaces fields, bumping version and updated_at; answers the new row, or the same one when nothing changed. */
  update(row: RecordOf[C], patch: Partial<RecordOf[C]>): RecordOf[C] {
    const next = { ...row, ...patch };
    if (JSON.stringify(next) === JSON.stringify(row)) return row;
    const updated = { ...next, version: row.version + 1, updated_at: new Date(this.clock.next()).toISOString() };
    this.rows.set(row.id, updated);
    return updated;
  }

  clear(): void {
    this.rows.clear();
    this.nextId = this.firstId;
  }

  /** The table as a snapshot keeps it: the id sequence goes with the rows, so no id is handed out twice. */
  dump(): { nextId: number; rows: RecordOf[C][] } {
    return { nextId: this.nextId, rows: [...this.rows.values()] };
  }

  restore(dump: { nextId: number; rows: RecordOf[C][] }): void {
    this.rows.clear();
    for (const row of dump.rows) this.rows.set(row.id, row);
    this.nextId = dump.nextId;
  }
}
