import type { Router } from 'express';
import { route } from '../common/route';
import type { ZohoContext } from './context';
import { ZohoHttpError, zohoError } from './errors';
import { type FieldDef, type ModuleName, resolveModule } from './fields';
import { type Condition, type CoqlQuery, type Literal, parseCoql } from './coql-parser';
import type { StoredRecord } from './record-types';
import type { JsonValue } from './record-view';
import { parseZohoTime } from './time';

const MAX_LIMIT = 2000;
const MAX_OFFSET_PLUS_LIMIT = 100_000;
const MAX_COLUMNS = 50;
const MAX_CONDITIONS = 25;

function invalidColumn(name: string): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('INVALID_QUERY', 'column given seems to be invalid', { column_name: name }));
}

function limitExceeded(what: string, limit: number): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('LIMIT_EXCEEDED', `${what} limit exceeded`, { limit }));
}

type Scalar = string | number | null;

/** Resolves `Field` or `Lookup.Field` to a reader giving a comparable scalar (times as epoch ms, text lower-cased). */
function reader(ctx: ZohoContext, module: ModuleName, path: string): { read: (r: StoredRecord) => Scalar; def: FieldDef | null } {
  const [head = '', tail] = path.split('.', 2);
  if (head === 'id' && !tail) return { read: (r) => r.id, def: null };
  const def = ctx.data.fields.get(module, head);
  if (!def) throw invalidColumn(path);
  if (tail !== undefined) {
    if (def.data_type !== 'lookup' || !def.lookupModule) throw invalidColumn(path);
    const target = def.lookupModule;
    const inner = reader(ctx, target, tail);
    return {
      read: (r) => {
        const ref = r.values[head];
        const rec = typeof ref === 'string' ? ctx.data.store(target).get(ref) : undefined;
        return rec ? inner.read(rec) : null;
      },
      def: inner.def,
    };
  }
  if (head === 'Created_Time') return { read: (r) => r.createdMs, def };
  if (head === 'Modified_Time') return { read: (r) => r.modifiedMs, def };
  if (head === 'Full_Name') return { read: (r) => [r.values.First_Name, r.values.Last_Name].filter(Boolean).join(' ').toLowerCase() || null, def };
  return {
    read: (r) => {
      const v = r.values[head] ?? null;
      if (v === null) return null;
      if (typeof v === 'number') return v;
      return typeof v === 'boolean' ? String(v) : v.toLowerCase();
    },
    def,
  };
}

function literalValue(def: FieldDef | null, lit: Literal): Scalar {
  if (lit.kind === 'null') return null;
  if (def?.data_type === 'datetime') return parseZohoTime(lit.text) ?? NaN;
  if (def && ['integer', 'bigint', 'double', 'currency'].includes(def.data_type)) return Number(lit.text);
  return lit.text.toLowerCase();
}

function compare(a: Scalar, b: Scalar): number {
  if (a === null || b === null) return NaN;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  // Ids are numeric strings of equal length: string order is numeric order.
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compile(ctx: ZohoContext, module: ModuleName, cond: Condition): (r: StoredRecord) => boolean {
  if (cond.kind !== 'cmp') {
    const parts = cond.children.map((c) => compile(ctx, module, c));
    return cond.kind === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  const { read, def } = reader(ctx, module, cond.field);
  const vals = cond.values.map((v) => literalValue(def, v));
  const [a = null, b = null] = vals;
  const like = (pattern: Scalar): RegExp =>
    new RegExp(`^${String(pattern).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  switch (cond.op) {
    case '=': return (r) => compare(read(r), a) === 0;
    case '!=': return (r) => { const v = read(r); return v !== null && compare(v, a) !== 0; };
    case '<': return (r) => compare(read(r), a) < 0;
    case '<=': return (r) => compare(read(r), a) <= 0;
    case '>': return (r) => compare(read(r), a) > 0;
    case '>=': return (r) => compare(read(r), a) >= 0;
    case 'between': return (r) => compare(read(r), a) >= 0 && compare(read(r), b) <= 0;
    case 'not between': return (r) => { const v = read(r); return v !== null && !(compare(v, a) >= 0 && compare(v, b) <= 0); };
    case 'in': return (r) => vals.some((x) => compare(read(r), x) === 0);
    case 'not in': return (r) => { const v = read(r); return v !== null && !vals.some((x) => compare(v, x) === 0); };
    case 'is null': return (r) => read(r) === null;
    case 'is not null': return (r) => read(r) !== null;
    case 'like': { const re = like(a); return (r) => { const v = read(r); return v !== null && re.test(String(v)); }; }
    case 'not like': { const re = like(a); return (r) => { const v = read(r); return v !== null && !re.test(String(v)); }; }
  }
}

/** Runs a parsed query; ORDER BY one of id / Created_Time / Modified_Time walks the store's sorted index and stops early. */
export function runCoql(ctx: ZohoContext, q: CoqlQuery): { rows: Array<Record<string, JsonValue>>; more: boolean } {
  const module = resolveModule(q.module);
  if (!module) throw new ZohoHttpError(400, zohoError('INVALID_QUERY', 'invalid query formed', { reason: 'invalid module', api_name: q.module }));
  if (q.fields.length > MAX_COLUMNS) throw limitExceeded('select column', MAX_COLUMNS);
  if (q.conditions > MAX_CONDITIONS) throw limitExceeded('where criteria', MAX_CONDITIONS);
  if (q.limit > MAX_LIMIT) throw limitExceeded('limit', MAX_LIMIT);
  if (q.offset + q.limit > MAX_OFFSET_PLUS_LIMIT) throw limitExceeded('offset', MAX_OFFSET_PLUS_LIMIT);
  const columns = q.fields.map((f) => ({ name: f, ...reader(ctx, module, f) }));
  const where = q.where ? compile(ctx, module, q.where) : () => true;
  const store = ctx.data.store(module);
  const [first] = q.orderBy;
  const indexed = q.orderBy.length === 0 || (q.orderBy.length === 1 && first && ['id', 'Created_Time', 'Modified_Time'].includes(first.field));
  const wanted = q.offset + q.limit + 1;
  let matched: StoredRecord[] = [];
  if (indexed) {
    const sortBy = first?.field === 'Modified_Time' ? 'Modified_Time' : 'id';
    for (const rec of store.iterate(sortBy, first?.dir ?? 'asc')) {
      if (!where(rec)) continue;
      matched.push(rec);
      if (matched.length >= wanted) break;
    }
  } else {
    matched = store.all().filter(where);
    const keys = q.orderBy.map((o) => ({ dir: o.dir === 'desc' ? -1 : 1, read: reader(ctx, module, o.field).read }));
    matched.sort((x, y) => {
      for (const k of keys) {
        const c = compare(k.read(x), k.read(y));
        if (c) return k.dir * c;
      }
      return compare(x.id, y.id);
    });
  }
  const page = matched.slice(q.offset, q.offset + q.limit);
  const rows = page.map((rec) => {
    const row: Record<string, JsonValue> = {};
    for (const col of columns) row[col.name] = cell(ctx, rec, col.name);
    row.id = rec.id;
    return row;
  });
  return { rows, more: matched.length > q.offset + q.limit };
}

/** COQL answers lookups and owners as {id} only, other values as GET does. */
function cell(ctx: ZohoContext, rec: StoredRecord, path: string): JsonValue {
  const [head = '', tail] = path.split('.', 2);
  if (head === 'id') return rec.id;
  const def = ctx.data.fields.get(rec.module, head);
  if (!def) return null;
  if (tail !== undefined && def.lookupModule) {
    const ref = rec.values[head];
    const target = typeof ref === 'string' ? ctx.data.store(def.lookupModule).get(ref) : undefined;
    return target ? cell(ctx, target, tail) : null;
  }
  if ((def.data_type === 'lookup' || def.data_type === 'ownerlookup') && !['Created_By', 'Modified_By'].includes(head)) {
    const ref = rec.values[head];
    return ref === null || ref === undefined ? null : { id: String(ref) };
  }
  const v = ctx.view.value(rec, def);
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'id' in v ? { id: v.id ?? null } : v;
}

export function registerCoqlRoutes(router: Router, ctx: ZohoContext): void {
  route(router, 'post', '/crm/v8/coql', (req, res) => {
    const sql: unknown = typeof req.body === 'object' && req.body !== null ? Reflect.get(req.body, 'select_query') : undefined;
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new ZohoHttpError(400, zohoError('REQUIRED_PARAM_MISSING', 'required param is missing', { param_name: 'select_query' }));
    }
    const { rows, more } = runCoql(ctx, parseCoql(sql));
    if (rows.length === 0) {
      res.status(204).end();
      return;
    }
    res.json({ data: rows, info: { count: rows.length, more_records: more } });
  });
}
