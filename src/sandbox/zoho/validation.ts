import type { ZohoData } from './data';
import { type ZohoErrorBody, invalidField, mandatoryMissing, unknownField, zohoError } from './errors';
import { type FieldDef, type ModuleName, MODULE_IDS, SYSTEM_FIELDS, isUnique } from './fields';
import type { FieldValue, StoredRecord } from './record-types';
import { parseZohoTime } from './time';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type Checked = { ok: true; values: Record<string, FieldValue> } | { ok: false; error: ZohoErrorBody };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refId(value: unknown): string | null {
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  if (isPlainObject(value) && typeof value.id === 'string' && /^\d+$/.test(value.id)) return value.id;
  return null;
}

/** Converts one incoming value to its stored form, or explains (as Zoho does) why it is invalid. */
function coerce(data: ZohoData, def: FieldDef, raw: unknown, index: number): { value: FieldValue } | ZohoErrorBody {
  if (raw === null || raw === '') return { value: null };
  const bad = (extra: Record<string, unknown> = {}): ZohoErrorBody => invalidField(index, def.api_name, extra);
  switch (def.data_type) {
    case 'text':
    case 'textarea':
    case 'picklist':
    case 'website':
    case 'phone':
    case 'email': {
      if (typeof raw !== 'string') return bad({ expected_data_type: def.data_type });
      if (raw.length > def.length) return bad({ maximum_length: def.length });
      if (def.data_type === 'email' && !EMAIL.test(raw)) return bad();
      return { value: raw };
    }
    case 'integer':
    case 'bigint': {
      const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      return typeof n === 'number' && Number.isInteger(n) ? { value: n } : bad({ expected_data_type: def.data_type });
    }
    case 'double':
    case 'currency': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : bad({ expected_data_type: def.data_type });
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : bad({ expected_data_type: 'boolean' });
    case 'date':
      return typeof raw === 'string' && DATE.test(raw) ? { value: raw } : bad({ expected_data_type: 'date' });
    case 'datetime':
      return typeof raw === 'string' && parseZohoTime(raw) !== null ? { value: raw } : bad({ expected_data_type: 'datetime' });
    case 'lookup': {
      const id = refId(raw);
      if (id === null || !def.lookupModule || !data.store(def.lookupModule).get(id)) return bad({ id: id ?? undefined });
      return { value: id };
    }
    case 'ownerlookup': {
      const id = refId(raw);
      return id !== null && data.userById(id) ? { value: id } : bad();
    }
  }
}

/**
 * Validates one item of `data[]` for a create (all mandatory fields present) or an update (merged over the
 * current values). Unique fields are checked against other records, including ones written earlier in the
 * same batch, which is why a batch is processed item by item.
 */
export function checkRecord(
  data: ZohoData,
  module: ModuleName,
  input: unknown,
  index: number,
  unknownFieldPolicy: 'error' | 'ignore',
  existing?: StoredRecord,
): Checked {
  if (!isPlainObject(input)) return { ok: false, error: zohoError('INVALID_DATA', 'invalid data', { json_path: `$.data[${index}]` }) };
  const values: Record<string, FieldValue> = existing ? { ...existing.values } : {};
  for (const [key, raw] of Object.entries(input)) {
    if (key.startsWith('$') || SYSTEM_FIELDS.has(key)) continue;
    const def = data.fields.get(module, key);
    if (!def) {
      if (unknownFieldPolicy === 'error') return { ok: false, error: unknownField(index, key) };
      continue;
    }
    if (def.read_only) continue;
    const result = coerce(data, def, raw, index);
    if ('code' in result) return { ok: false, error: result };
    values[key] = result.value;
  }
  for (const def of data.fields.list(module)) {
    if (!def.system_mandatory) continue;
    const v = values[def.api_name];
    if (v === undefined || v === null) return { ok: false, error: mandatoryMissing(index, def.api_name) };
  }
  for (const def of data.fields.list(module).filter(isUnique)) {
    const v = values[def.api_name];
    if (v === undefined || v === null) continue;
    const clash = data
      .store(module)
      .findBy(def.api_name, v)
      .map((id) => data.store(module).get(id))
      .find((r) => r && r.id !== existing?.id && (!def.unique.case_sensitive || r.values[def.api_name] === v));
    if (clash) return { ok: false, error: duplicateError(data, module, def.api_name, clash, index) };
  }
  return { ok: true, values };
}

export function duplicateError(data: ZohoData, module: ModuleName, apiName: string, clash: StoredRecord, index: number): ZohoErrorBody {
  const owner = data.userById(String(clash.values.Owner ?? '')) ?? data.apiUser;
  return zohoError('DUPLICATE_DATA', 'duplicate data', {
    api_name: apiName,
    duplicate_record: {
      Owner: { name: owner.name, id: owner.id, zuid: owner.zuid },
      id: clash.id,
      module: { api_name: module, id: MODULE_IDS[module] },
    },
    json_path: `$.data[${index}].${apiName}`,
    id: clash.id,
    more_records: false,
  });
}
