import { SINGULAR, type ObjectType } from './object-types';
import type { WriteSource } from './store-types';

/**
 * A pair of object types the simulator links, with its HUBSPOT_DEFINED type ids as [from→to, to→from]. Every
 * association has the unlabeled type; where the pair has a primary type, a `from` record has at most one primary
 * `to` partner (a contact's or a deal's primary company), and a primary always comes with the unlabeled type.
 */
export interface AssociationPair {
  from: ObjectType;
  to: ObjectType;
  unlabeled: readonly [number, number];
  primary?: readonly [number, number];
}

/** Type ids as @hubspot/api-client's AssociationTypes enum names them. */
const PAIRS: readonly AssociationPair[] = [
  { from: 'contacts', to: 'companies', unlabeled: [279, 280], primary: [1, 2] },
  { from: 'deals', to: 'contacts', unlabeled: [3, 4] },
  { from: 'deals', to: 'companies', unlabeled: [341, 342], primary: [5, 6] },
];

/** One type id, as read from the side it starts at. */
interface AssociationType {
  id: number;
  from: ObjectType;
  to: ObjectType;
  pair: AssociationPair;
  primary: boolean;
  /** The same association read from the other side. */
  twin: number;
}

const TYPES = new Map<number, AssociationType>();
for (const pair of PAIRS) {
  for (const [ids, primary] of [[pair.unlabeled, false], [pair.primary, true]] as const) {
    if (!ids) continue;
    const [forward, backward] = ids;
    TYPES.set(forward, { id: forward, from: pair.from, to: pair.to, pair, primary, twin: backward });
    TYPES.set(backward, { id: backward, from: pair.to, to: pair.from, pair, primary, twin: forward });
  }
}

export function associationType(id: number): AssociationType | undefined {
  return TYPES.get(id);
}

export function pairOf(a: ObjectType, b: ObjectType): AssociationPair | undefined {
  return PAIRS.find((pair) => (pair.from === a && pair.to === b) || (pair.from === b && pair.to === a));
}

/** The unlabeled type id read from `from`'s side. */
export function unlabeledFrom(pair: AssociationPair, from: ObjectType): number {
  return from === pair.from ? pair.unlabeled[0] : pair.unlabeled[1];
}

/** "Primary" for primary types; HubSpot gives the unlabeled ones no label. */
export function typeLabel(id: number): string | null {
  return TYPES.get(id)?.primary ? 'Primary' : null;
}

/** The v3 name of a type (reads with ?associations=): contact_to_company, deal_to_company_unlabeled, … */
export function v3TypeName(id: number): string {
  const type = TYPES.get(id);
  if (!type) return String(id);
  const unlabeled = type.pair.primary !== undefined && !type.primary;
  return `${SINGULAR[type.from]}_to_${SINGULAR[type.to]}${unlabeled ? '_unlabeled' : ''}`;
}

/** Stored form: the id read from the pair's `from` side. */
const stored = (id: number): number => {
  const type = TYPES.get(id);
  return type && type.from !== type.pair.from ? type.twin : id;
};

export interface AssociationChange {
  pair: AssociationPair;
  /** Ids on the pair's `from` and `to` sides. */
  fromId: string;
  toId: string;
  /** Read from the pair's `from` side. */
  typeId: number;
  removed: boolean;
  source: WriteSource;
}

type Links = Map<string, Map<string, Set<number>>>;

/** One pair's associations, each stored once as the set of `from`-side type ids and indexed from both sides. */
class PairLinks {
  readonly forward: Links = new Map();
  readonly backward: Links = new Map();

  types(fromId: string, toId: string): Set<number> | undefined {
    return this.forward.get(fromId)?.get(toId);
  }

  ensure(fromId: string, toId: string): Set<number> {
    const existing = this.types(fromId, toId);
    if (existing) return existing;
    const types = new Set<number>();
    link(this.forward, fromId, toId, types);
    link(this.backward, toId, fromId, types);
    return types;
  }

  forget(fromId: string, toId: string): void {
    this.forward.get(fromId)?.delete(toId);
    this.backward.get(toId)?.delete(fromId);
  }
}

function link(links: Links, a: string, b: string, types: Set<number>): void {
  let partners = links.get(a);
  if (!partners) links.set(a, (partners = new Map<string, Set<number>>()));
  partners.set(b, types);
}

/** A request's ends put in the pair's own order. */
interface Oriented {
  pair: AssociationPair;
  links: PairLinks;
  fromId: string;
  toId: string;
}

/** Associations of every pair in PAIRS, read from either side. */
export class AssociationStore {
  private readonly links = new Map<AssociationPair, PairLinks>(PAIRS.map((pair) => [pair, new PairLinks()]));
  private readonly listeners: Array<(change: AssociationChange) => void> = [];

  onChange(listener: (change: AssociationChange) => void): void {
    this.listeners.push(listener);
  }

  /** Partners of type `to` of a record: partner id → type ids read from `from`'s side. */
  list(from: ObjectType, id: string, to: ObjectType): Array<{ toId: string; typeIds: number[] }> {
    const pair = pairOf(from, to);
    if (!pair) return [];
    const links = this.pairLinks(pair);
    const partners = (from === pair.from ? links.forward : links.backward).get(id);
    if (!partners) return [];
    const seen = (typeId: number) => (from === pair.from ? typeId : (TYPES.get(typeId)?.twin ?? typeId));
    return [...partners.entries()].map(([toId, types]) => ({ toId, typeIds: [...types].map(seen).sort((a, b) => a - b) }));
  }

  /** Adds type ids given from either side; returns true when anything changed. */
  add(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeIds: number[], source: WriteSource): boolean {
    const ends = this.orient(from, fromId, to, toId);
    const { pair, links } = ends;
    const wanted = new Set(typeIds.map(stored));
    wanted.add(pair.unlabeled[0]);
    const primary = pair.primary?.[0];
    if (primary !== undefined && wanted.has(primary)) {
      for (const [other, types] of links.forward.get(ends.fromId) ?? []) {
        if (other !== ends.toId && types.has(primary)) this.drop({ ...ends, toId: other }, [primary], source);
      }
    }
    const types = links.ensure(ends.fromId, ends.toId);
    let changed = false;
    // Descending puts the unlabeled type (the larger id in every pair) first: no listener sees a primary without it.
    for (const typeId of [...wanted].sort((a, b) => b - a)) {
      if (types.has(typeId)) continue;
      types.add(typeId);
      changed = true;
      this.emit({ pair, fromId: ends.fromId, toId: ends.toId, typeId, removed: false, source });
    }
    return changed;
  }

  /** Removes the given type ids (all when omitted); removing the unlabeled one removes the association. */
  remove(from: ObjectType, fromId: string, to: ObjectType, toId: string, source: WriteSource, typeIds?: number[]): boolean {
    const ends = this.orient(from, fromId, to, toId);
    const types = ends.links.types(ends.fromId, ends.toId);
    if (!types) return false;
    const normalised = typeIds?.map(stored);
    const all = normalised === undefined || normalised.includes(ends.pair.unlabeled[0]);
    return this.drop(ends, all ? [...types] : normalised, source);
  }

  clear(): void {
    for (const pair of PAIRS) this.links.set(pair, new PairLinks());
  }

  /** Every association in its pair's order, for snapshots. */
  entries(): Array<[ObjectType, string, ObjectType, string, number[]]> {
    const out: Array<[ObjectType, string, ObjectType, string, number[]]> = [];
    for (const [pair, links] of this.links) {
      for (const [fromId, partners] of links.forward) {
        for (const [toId, types] of partners) out.push([pair.from, fromId, pair.to, toId, [...types]]);
      }
    }
    return out;
  }

  private drop(ends: Oriented, typeIds: number[], source: WriteSource): boolean {
    const { pair, links, fromId, toId } = ends;
    const types = links.types(fromId, toId);
    if (!types) return false;
    let changed = false;
    // Ascending: the primary goes before the unlabeled type, mirroring add().
    for (const typeId of [...typeIds].sort((a, b) => a - b)) {
      if (!types.delete(typeId)) continue;
      changed = true;
      this.emit({ pair, fromId, toId, typeId, removed: true, source });
    }
    if (types.size === 0) links.forget(fromId, toId);
    return changed;
  }

  private orient(from: ObjectType, fromId: string, to: ObjectType, toId: string): Oriented {
    const pair = pairOf(from, to);
    if (!pair) throw new Error(`no associations between ${from} and ${to}`);
    const links = this.pairLinks(pair);
    return from === pair.from ? { pair, links, fromId, toId } : { pair, links, fromId: toId, toId: fromId };
  }

  private pairLinks(pair: AssociationPair): PairLinks {
    const links = this.links.get(pair);
    if (!links) throw new Error(`unknown association pair ${pair.from}/${pair.to}`);
    return links;
  }

  private emit(change: AssociationChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
