import { CRM_OBJECTS, type CrmObject } from '../records';
import { DEFAULT_CROSS_REFERENCES, DEFAULT_HOLDS, DEFAULT_PRIORITY } from './default-mappings';
import { DEFAULT_COMPANY_MAPPINGS, DEFAULT_CONTACT_MAPPINGS } from './default-mappings';
import type { RuleIssue } from './issues';

/*
 * Rules files of earlier releases describe a HubSpot–Zoho pair: `master`, a `hot` rule on raw Zoho fields,
 * `crossReference: { hubspotProperty, zohoField }` and mapping rows with a `hubspot` and a `zoho` column. This module
 * rewrites such a file into the hub format, with the old defaults made explicit where the new ones differ, so that an
 * existing file keeps its meaning. It only reshapes; the sync-rules schema validates the result.
 */

export type LegacyUpgrade = { ok: true; rules: unknown } | { ok: false; issues: RuleIssue[] };

/** Said after the schema's issues when a converted file fails them, since their paths are not the file's own. */
export const LEGACY_CONVERSION_NOTE =
  'this file is in the two-system format of earlier releases and was converted before these checks, so the paths above ' +
  'are those of the current format (master → priority, hot → holds.hubspot, mapping columns → systems)';

type Json = Record<string, unknown>;
type Format = 'legacy' | 'hub';

const OLD_HOT_CONTACT = { field: 'Lead_Status', op: 'equals', value: 'Hot' };
/** The objects of the two-system format (deals came with the hub). */
const LEGACY_OBJECTS = ['contact', 'company'] as const;
type LegacyObject = (typeof LEGACY_OBJECTS)[number];

const HOLDS_EXAMPLE: Record<LegacyObject, string> = {
  contact: '{"field":"leadStatus","op":"equals","value":"Hot"}',
  company: '{"field":"industry","op":"equals","value":"Retail"}',
};
const DIRECTIONS: Record<string, { hubspot: string; zoho: string }> = {
  both: { hubspot: 'both', zoho: 'both' },
  'zoho-to-hubspot': { hubspot: 'to', zoho: 'from' },
  'hubspot-to-zoho': { hubspot: 'from', zoho: 'to' },
};
const SYSTEMS = ['hubspot', 'zoho'] as const;

/** Converts a rules file of the two-system format; a file in the hub format (or not an object) passes untouched. */
export function upgradeLegacyRules(input: unknown): LegacyUpgrade {
  if (!isObject(input)) return { ok: true, rules: input };
  const marks = formatMarks(input);
  const legacy = marks.filter((mark) => mark.format === 'legacy').map((mark) => mark.path);
  const hub = marks.filter((mark) => mark.format === 'hub').map((mark) => mark.path);
  if (legacy.length === 0) return { ok: true, rules: input };
  if (hub.length > 0) {
    const message =
      `mixes the old two-system format (${listed(legacy)}) with the current one (${listed(hub)}): ` +
      'write the whole file in the current format (priority, holds, crossReference per system, mapping rows with "systems")';
    return { ok: false, issues: [{ path: '(root)', message }] };
  }
  const issues: RuleIssue[] = [];
  const rules = convert(input, issues);
  return issues.length ? { ok: false, issues } : { ok: true, rules };
}

/** Where the document shows which format it is written in; keys both formats share mark nothing. */
function formatMarks(input: Json): { path: string; format: Format }[] {
  const marks: { path: string; format: Format }[] = [];
  const mark = (path: string, format: Format) => marks.push({ path, format });
  for (const key of ['master', 'hot']) if (Object.hasOwn(input, key)) mark(key, 'legacy');
  // holds may stand in for hot in an old file: that is the by-hand conversion a hot rule on an unmapped field needs
  if (Object.hasOwn(input, 'priority')) mark('priority', 'hub');
  if (Object.hasOwn(input, 'holds') && Object.hasOwn(input, 'hot')) mark('holds', 'hub');
  const ref = input.crossReference;
  if (isObject(ref)) {
    for (const [key, value] of Object.entries(ref)) mark(`crossReference.${key}`, isObject(value) ? 'hub' : 'legacy');
  }
  const mappings = isObject(input.mappings) ? input.mappings : {};
  for (const object of CRM_OBJECTS) {
    const rows = mappings[object];
    if (!Array.isArray(rows)) continue;
    rows.forEach((row: unknown, index) => {
      if (!isObject(row)) return;
      const at = `mappings.${object}.${index}`;
      for (const key of ['hubspot', 'zoho', 'direction']) if (Object.hasOwn(row, key)) mark(`${at}.${key}`, 'legacy');
      if (Object.hasOwn(row, 'systems')) mark(`${at}.systems`, 'hub');
      const transform = row.transform;
      if (isObject(transform)) {
        for (const key of ['zohoToHubspot', 'hubspotToZoho', 'hubspot', 'zoho']) if (Object.hasOwn(transform, key)) mark(`${at}.transform.${key}`, 'legacy');
        for (const key of ['tables', 'forms']) if (Object.hasOwn(transform, key)) mark(`${at}.transform.${key}`, 'hub');
      }
      const validate = row.validate;
      if (isObject(validate)) for (const key of ['maxLength', 'required']) if (Object.hasOwn(validate, key)) mark(`${at}.validate.${key}`, 'legacy');
    });
  }
  return marks;
}

function convert(input: Json, issues: RuleIssue[]): Json {
  const { master, hot, crossReference, mappings, ...shared } = input;
  const out: Json = { ...shared };
  if (master !== undefined) {
    if (master === 'zoho' || master === 'hubspot') out.priority = [master, ...DEFAULT_PRIORITY.filter((system) => system !== master)];
    else issues.push({ path: 'master', message: 'expected "zoho" or "hubspot" (it becomes priority, e.g. ["zoho", "hubspot"])' });
  }
  if (crossReference !== undefined) out.crossReference = convertCrossReference(crossReference, issues);
  if (mappings !== undefined) out.mappings = isObject(mappings) ? convertMappings(mappings, issues) : mappings;
  // systems added since that format (the shop) take their defaults, as a file that never named them would
  if (!Object.hasOwn(input, 'holds')) out.holds = { ...DEFAULT_HOLDS, hubspot: convertHot(hot, isObject(mappings) ? mappings : {}, issues) };
  return out;
}

function convertCrossReference(ref: unknown, issues: RuleIssue[]): unknown {
  if (!isObject(ref)) return ref;
  const { hubspotProperty = 'zoho_record_id', zohoField = 'HubSpot_ID', ...unknown } = ref;
  for (const key of Object.keys(unknown)) issues.push({ path: `crossReference.${key}`, message: 'unknown key: expected hubspotProperty or zohoField' });
  return { ...DEFAULT_CROSS_REFERENCES, hubspot: { ...DEFAULT_CROSS_REFERENCES.hubspot, zoho: hubspotProperty }, zoho: { ...DEFAULT_CROSS_REFERENCES.zoho, hubspot: zohoField } };
}

function convertMappings(mappings: Json, issues: RuleIssue[]): Json {
  const out: Json = { ...mappings };
  for (const object of CRM_OBJECTS) {
    const rows = mappings[object];
    if (Array.isArray(rows)) out[object] = rows.map((row: unknown, index) => convertRow(row, `mappings.${object}.${index}`, issues));
  }
  return out;
}

function convertRow(row: unknown, at: string, issues: RuleIssue[]): unknown {
  if (!isObject(row)) return row;
  const { hubspot, zoho, direction = 'both', transform, validate, ...rest } = row;
  const flows = typeof direction === 'string' && Object.hasOwn(DIRECTIONS, direction) ? DIRECTIONS[direction] : undefined;
  if (!flows) issues.push({ path: `${at}.direction`, message: `expected one of ${Object.keys(DIRECTIONS).join(' | ')}` });
  const { maxLength, required, ...checks } = isObject(validate) ? validate : {};
  if (maxLength !== undefined && !isObject(maxLength)) issues.push({ path: `${at}.validate.maxLength`, message: 'expected { hubspot?, zoho? }' });
  const requiredIn = Array.isArray(required) ? required : [];
  if (required !== undefined && (!Array.isArray(required) || !required.every((system) => system === 'hubspot' || system === 'zoho'))) {
    issues.push({ path: `${at}.validate.required`, message: 'expected a list of "hubspot" and/or "zoho"' });
  }
  const fields = { hubspot, zoho };
  const systems: Json = {};
  for (const system of SYSTEMS) {
    const field = fields[system];
    if (typeof field !== 'string' || field === '') {
      issues.push({ path: `${at}.${system}`, message: `expected the ${system} field name (a non-empty string)` });
      continue;
    }
    const column = {
      field,
      ...(flows && flows[system] !== 'both' ? { direction: flows[system] } : {}),
      ...(isObject(maxLength) && maxLength[system] !== undefined ? { maxLength: maxLength[system] } : {}),
      ...(requiredIn.includes(system) ? { required: true } : {}),
    };
    systems[system] = Object.keys(column).length === 1 ? field : column;
  }
  return {
    ...rest,
    systems,
    ...(transform === undefined ? {} : { transform: convertTransform(transform) }),
    ...(validate === undefined ? {} : { validate: isObject(validate) ? checks : validate }),
  };
}

/** The old domain transform wrote a bare domain to HubSpot and a URL to Zoho unless told otherwise. */
function convertTransform(transform: unknown): unknown {
  if (transform === 'domain') return { kind: 'domain', forms: { hubspot: 'bare', zoho: 'url' } };
  if (!isObject(transform)) return transform;
  if (transform.kind === 'domain') {
    const { hubspot = 'bare', zoho = 'url', ...rest } = transform;
    return { ...rest, forms: { hubspot, zoho } };
  }
  if (transform.kind === 'enum') {
    const { zohoToHubspot, hubspotToZoho, ...rest } = transform;
    return { ...rest, tables: { hubspot: { toWire: zohoToHubspot, ...(hubspotToZoho === undefined ? {} : { fromWire: hubspotToZoho }) } } };
  }
  return transform;
}

/**
 * The old hot rule tested raw Zoho fields; a holds rule tests canonical values, so each field is renamed through the
 * Zoho column of that object's mappings (the file's, else the defaults). Old null (every record) becomes true.
 */
function convertHot(hot: unknown, mappings: Json, issues: RuleIssue[]): Json {
  if (hot !== undefined && !isObject(hot)) {
    issues.push({ path: 'hot', message: 'expected { contact?, company? }' });
    return {};
  }
  const { contact, company = false, ...unknown } = hot ?? {};
  for (const key of Object.keys(unknown)) issues.push({ path: `hot.${key}`, message: 'unknown key: expected contact or company' });
  const rules: Record<LegacyObject, unknown> = { contact: contact === undefined ? OLD_HOT_CONTACT : contact, company };
  const holds: Json = {};
  for (const object of LEGACY_OBJECTS) {
    const names = canonicalNamesByZohoField(mappings[object], object);
    const defaulted = object === 'contact' && contact === undefined;
    holds[object] =
      rules[object] === null
        ? true
        : renameFields(rules[object], `hot.${object}`, (field, path) => {
            const name = names.get(field);
            if (name === undefined) issues.push({ path: defaulted ? 'hot.contact' : path, message: unmappedHotField(object, field, defaulted) });
            return name ?? field;
          });
  }
  return holds;
}

function unmappedHotField(object: LegacyObject, field: string, defaulted: boolean): string {
  const which = defaulted ? `the old default hot rule tests the Zoho field "${field}", which` : `"${field}" is a Zoho field that`;
  return (
    `${which} no ${object} mapping reads, and HubSpot's holds rule (which replaces the hot rule) tests canonical fields: ` +
    `${defaulted ? 'add' : 'replace "hot" with'} "holds": {"hubspot": {"contact": …, "company": …}}, writing holds.hubspot.${object} ` +
    `as a condition on canonical fields, e.g. ${HOLDS_EXAMPLE[object]} (true = every ${object}, false = only when a record HubSpot ` +
    `holds needs it; map "${field}" first if the rule needs it)`
  );
}

function renameFields(condition: unknown, path: string, rename: (field: string, path: string) => string): unknown {
  if (!isObject(condition)) return condition;
  if (typeof condition.field === 'string') return { ...condition, field: rename(condition.field, `${path}.field`) };
  const out: Json = { ...condition };
  for (const key of ['all', 'any']) {
    const children = condition[key];
    if (Array.isArray(children)) out[key] = children.map((child: unknown, index) => renameFields(child, `${path}.${key}.${index}`, rename));
  }
  return out;
}

function canonicalNamesByZohoField(rows: unknown, object: CrmObject): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(rows)) {
    const defaults = object === 'contact' ? DEFAULT_CONTACT_MAPPINGS : DEFAULT_COMPANY_MAPPINGS;
    for (const mapping of defaults) {
      const column = mapping.systems.zoho;
      if (column !== undefined) names.set(typeof column === 'string' ? column : column.field, mapping.name);
    }
    return names;
  }
  for (const row of rows) {
    if (isObject(row) && typeof row.zoho === 'string' && typeof row.name === 'string') names.set(row.zoho, row.name);
  }
  return names;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listed(paths: string[]): string {
  return paths.length > 3 ? `${paths.slice(0, 3).join(', ')}, …` : paths.join(', ');
}
