import type { Response, Router } from 'express';
import { queryString, route } from '../common/route';
import type { ZohoContext } from './context';
import { ZohoHttpError, errors, zohoError } from './errors';
import { DATA_TYPES, type DataType, type FieldDef, type ModuleName, MODULE_IDS, isUnique, resolveModule } from './fields';
import { type ItemResult, batchStatus, failure, success } from './write-body';

const JSON_TYPES: Partial<Record<DataType, string>> = {
  integer: 'integer', bigint: 'string', double: 'double', currency: 'double', boolean: 'boolean', lookup: 'jsonobject', ownerlookup: 'jsonobject',
};
const DEFAULT_LENGTH: Partial<Record<DataType, number>> = { text: 255, textarea: 2000, email: 100, phone: 30, website: 255, integer: 9, double: 16, currency: 16 };
const CREATABLE: readonly DataType[] = ['text', 'textarea', 'email', 'phone', 'website', 'picklist', 'integer', 'bigint', 'double', 'currency', 'boolean', 'date', 'datetime'];

function moduleQuery(value: string | undefined): ModuleName {
  if (!value) throw errors.requiredParam('module');
  const module = resolveModule(value);
  if (!module) throw new ZohoHttpError(400, zohoError('INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' }));
  return module;
}

/** A subset of the fields-metadata shape (OAS getFields example) with the keys clients actually read. */
function describe(def: FieldDef): Record<string, unknown> {
  return {
    api_name: def.api_name,
    field_label: def.field_label,
    display_label: def.field_label,
    id: def.id,
    data_type: def.data_type,
    json_type: JSON_TYPES[def.data_type] ?? 'string',
    length: def.length,
    unique: def.unique,
    system_mandatory: def.system_mandatory,
    read_only: def.read_only,
    field_read_only: def.read_only,
    custom_field: def.custom_field,
    created_source: def.custom_field ? 'crm' : 'default',
    visible: true,
    searchable: true,
    sortable: true,
    type: 'used',
    lookup: def.lookupModule ? { module: { api_name: def.lookupModule, id: MODULE_IDS[def.lookupModule] }, display_label: def.field_label, api_name: def.api_name } : {},
    pick_list_values: (def.pickList ?? []).map((v) => ({ display_value: v, actual_value: v })),
  };
}

/** Zoho derives custom field API names from the label: non-alphanumerics become underscores. */
export function apiNameFromLabel(label: string): string {
  return label.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function createOne(ctx: ZohoContext, module: ModuleName, item: unknown, index: number): ItemResult {
  const bad = (code: string, message: string, apiName: string) =>
    failure(zohoError(code, message, { api_name: apiName, json_path: `$.fields[${index}].${apiName}` }));
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return bad('INVALID_DATA', 'invalid data', 'fields');
  const get = (k: string): unknown => Reflect.get(item, k);
  const label = get('field_label');
  if (typeof label !== 'string' || label.trim() === '') return bad('MANDATORY_NOT_FOUND', 'required field not found', 'field_label');
  const rawType = get('data_type');
  if (rawType === undefined) return bad('MANDATORY_NOT_FOUND', 'required field not found', 'data_type');
  const dataType = DATA_TYPES.find((t) => t === rawType);
  if (!dataType || !CREATABLE.includes(dataType)) return bad('INVALID_DATA', 'invalid data', 'data_type');
  const rawApi = get('api_name');
  const apiName = typeof rawApi === 'string' && rawApi !== '' ? rawApi : apiNameFromLabel(label);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(apiName)) return bad('INVALID_DATA', 'invalid data', 'api_name');
  const existing = ctx.data.fields.list(module);
  if (existing.some((f) => f.api_name.toLowerCase() === apiName.toLowerCase())) return bad('DUPLICATE_DATA', 'duplicate data', 'api_name');
  if (existing.some((f) => f.field_label.toLowerCase() === label.trim().toLowerCase())) return bad('DUPLICATE_DATA', 'duplicate data', 'field_label');
  const rawLength = get('length');
  const length = rawLength === undefined ? (DEFAULT_LENGTH[dataType] ?? 255) : rawLength;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > 32000) return bad('INVALID_DATA', 'invalid data', 'length');
  const rawUnique = get('unique');
  let unique: FieldDef['unique'] = {};
  if (rawUnique !== undefined && rawUnique !== null) {
    if (typeof rawUnique !== 'object' || Array.isArray(rawUnique)) return bad('INVALID_DATA', 'invalid data', 'unique');
    // Same encoding as the metadata: {} means "not unique", {case_sensitive} means unique.
    const cs: unknown = Reflect.get(rawUnique, 'case_sensitive');
    if (Object.keys(rawUnique).length > 0) unique = { case_sensitive: cs === true };
  }
  const rawPick = get('pick_list_values');
  const pickList = Array.isArray(rawPick) ? rawPick.flatMap((p): string[] => {
    const v: unknown = typeof p === 'object' && p !== null ? Reflect.get(p, 'actual_value') ?? Reflect.get(p, 'display_value') : p;
    return typeof v === 'string' ? [v] : [];
  }) : undefined;
  const def: FieldDef = {
    id: ctx.data.fields.nextCustomId(),
    api_name: apiName,
    field_label: label.trim(),
    data_type: dataType,
    length,
    unique,
    system_mandatory: false,
    read_only: false,
    custom_field: true,
    ...(pickList ? { pickList } : {}),
  };
  ctx.data.fields.add(module, def);
  if (isUnique(def)) ctx.data.indexField(module, apiName);
  return success({ id: def.id }, 'field created');
}

/** GET/POST /crm/v8/settings/fields?module=... */
export function registerFieldsRoutes(router: Router, ctx: ZohoContext): void {
  const reply = (res: Response, results: ItemResult[]): void => {
    res.status(batchStatus(results, 201)).json({ fields: results.map((r) => r.body) });
  };

  route(router, 'get', '/crm/v8/settings/fields', (req, res) => {
    const module = moduleQuery(queryString(req, 'module'));
    res.json({ fields: ctx.data.fields.list(module).map((f) => describe(f)) });
  });

  route(router, 'get', '/crm/v8/settings/fields/:id', (req, res) => {
    const module = moduleQuery(queryString(req, 'module'));
    const def = ctx.data.fields.list(module).find((f) => f.id === req.params.id || f.api_name === req.params.id);
    if (!def) {
      res.status(204).end();
      return;
    }
    res.json({ fields: [describe(def)] });
  });

  route(router, 'post', '/crm/v8/settings/fields', (req, res) => {
    const module = moduleQuery(queryString(req, 'module'));
    const items: unknown = typeof req.body === 'object' && req.body !== null ? Reflect.get(req.body, 'fields') : undefined;
    if (!Array.isArray(items) || items.length === 0) throw errors.bodyMandatory('fields');
    // The per-call cap for creating fields is undocumented (update allows 5); 10 is a guess.
    if (items.length > 10) throw errors.bodyLimit('fields', 10);
    reply(res, items.map((item, i) => createOne(ctx, module, item, i)));
  });
}
