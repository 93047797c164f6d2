import type { ZohoData } from './data';
import { ZohoHttpError, zohoError } from './errors';
import type { FieldDef, ModuleName } from './fields';
import type { Criteria } from './search-criteria';
import type { IndexedEntry } from './search-index';
import { parseZohoTime } from './time';

export type Matcher = (entry: IndexedEntry) => boolean;

const TEXTUAL = new Set(['text', 'textarea', 'email', 'phone', 'website']);

function lower(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).toLowerCase();
  return JSON.stringify(v).toLowerCase();
}

/** Compiles parsed criteria into a predicate over indexed (possibly stale) record values. */
export function compileCriteria(data: ZohoData, module: ModuleName, tree: Criteria, equalsMode: 'contains' | 'exact'): Matcher {
  if (tree.kind !== 'cond') {
    const children = tree.children.map((c) => compileCriteria(data, module, c, equalsMode));
    return tree.kind === 'and' ? (e) => children.every((m) => m(e)) : (e) => children.some((m) => m(e));
  }
  const def = data.fields.get(module, tree.field) ?? (tree.field === 'id' ? idDef : undefined);
  if (!def) {
    throw new ZohoHttpError(400, zohoError('INVALID_QUERY', 'Invalid query formed', { reason: 'the field is not available for search', api_name: tree.field }));
  }
  const { op, values } = tree;
  const numeric = ['integer', 'bigint', 'double', 'currency', 'datetime', 'date'].includes(def.data_type);
  const toNum = (v: string): number => (def.data_type === 'datetime' ? (parseZohoTime(v) ?? NaN) : def.data_type === 'date' ? Date.parse(v) : Number(v));
  const read = (e: IndexedEntry): unknown => fieldValue(data, def, e);

  if (numeric && op !== 'equals' && op !== 'not_equal' && op !== 'in') {
    const [a, b] = values.map(toNum);
    const cmp: Record<string, (x: number) => boolean> = {
      greater_than: (x) => x > (a ?? NaN),
      greater_equal: (x) => x >= (a ?? NaN),
      less_than: (x) => x < (a ?? NaN),
      less_equal: (x) => x <= (a ?? NaN),
      between: (x) => x >= (a ?? NaN) && x <= (b ?? NaN),
      starts_with: () => false,
    };
    const test = cmp[op] ?? (() => false);
    return (e) => {
      const v = read(e);
      return v !== null && v !== undefined && test(numeric ? asNumber(def, v) : NaN);
    };
  }
  const equalsOne = (needle: string): ((v: unknown) => boolean) => {
    if (numeric) return (v) => v !== null && asNumber(def, v) === toNum(needle);
    const n = needle.toLowerCase();
    if (TEXTUAL.has(def.data_type) && equalsMode === 'contains') return (v) => lower(v).includes(n);
    return (v) => lower(v) === n;
  };
  switch (op) {
    case 'equals':
    case 'in': {
      const tests = values.map(equalsOne);
      return (e) => {
        const v = read(e);
        return tests.some((t) => (Array.isArray(v) ? v.some(t) : t(v)));
      };
    }
    case 'not_equal': {
      const n = (values[0] ?? '').toLowerCase();
      return (e) => {
        const v = read(e);
        return Array.isArray(v) ? !v.some((x) => lower(x) === n) : lower(v) !== n;
      };
    }
    case 'starts_with': {
      const n = (values[0] ?? '').toLowerCase();
      return (e) => {
        const v = read(e);
        return Array.isArray(v) ? v.some((x) => lower(x).startsWith(n)) : lower(v).startsWith(n);
      };
    }
    default: {
      const n = values[0] ?? '';
      return (e) => lower(read(e)) > n.toLowerCase();
    }
  }
}

const idDef: FieldDef = {
  id: '0', api_name: 'id', field_label: 'Id', data_type: 'picklist', length: 19, unique: {}, system_mandatory: false, read_only: true, custom_field: false,
};

function asNumber(def: FieldDef, v: unknown): number {
  if (typeof v === 'number') return v;
  if (def.data_type === 'datetime') return parseZohoTime(String(v)) ?? NaN;
  if (def.data_type === 'date') return Date.parse(String(v));
  return Number(v);
}

/** The indexed value of a field; lookups yield [id, name] so either can be searched. */
function fieldValue(data: ZohoData, def: FieldDef, e: IndexedEntry): unknown {
  if (def.api_name === 'Created_Time') return e.createdMs;
  if (def.api_name === 'Modified_Time') return e.modifiedMs;
  if (def.api_name === 'id') return e.id;
  if (def.api_name === 'Full_Name') return [e.values.First_Name, e.values.Last_Name].filter(Boolean).join(' ');
  const raw = e.values[def.api_name] ?? null;
  if (raw === null) return null;
  if (def.data_type === 'lookup' && def.lookupModule) {
    const target = data.store(def.lookupModule).get(String(raw));
    return [String(raw), target?.values.Account_Name ?? null];
  }
  if (def.data_type === 'ownerlookup') return [String(raw), data.userById(String(raw))?.name ?? null];
  return raw;
}
