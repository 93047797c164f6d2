import type { CrmObject, FieldValues, MatchKeys, SystemName } from './records';
import type { Column, FieldMapping } from './schema/field-mapping';
import type { DeleteAction, HoldsRule, SyncRules } from './schema/sync-rules';
import { canonicalReader, evaluateCondition } from './conditions';
import { normaliseDomain, normaliseEmail, rawToText } from './normalise';
import { canonicalToWire, wireToCanonical } from './transforms';

export type { DeleteAction, HoldsRule };

export function mappingsOf(rules: SyncRules, object: CrmObject): FieldMapping[] {
  return rules.mappings[object];
}

/** The mapping's column in `system`; undefined when that system does not hold the field. */
export function columnOf(mapping: FieldMapping, system: SystemName): Column | undefined {
  return Object.hasOwn(mapping.systems, system) ? mapping.systems[system] : undefined;
}

/** Whether values of this mapping may be written to `system` (it has a column there that is not read-only). */
export function writesTo(mapping: FieldMapping, system: SystemName): boolean {
  const column = columnOf(mapping, system);
  return column !== undefined && column.direction !== 'from';
}

/** Whether `system`'s edits of this field count (it has a column there that is not write-only). */
export function readsFrom(mapping: FieldMapping, system: SystemName): boolean {
  const column = columnOf(mapping, system);
  return column !== undefined && column.direction !== 'to';
}

/** Whether `system` can hold the canonical `value` of this mapping (an enum may have no wire value for it). */
export function representable(rules: SyncRules, mapping: FieldMapping, system: SystemName, value: string | null): boolean {
  return value === null || canonicalToWire(rules, mapping.transform, system, value) !== undefined;
}

/**
 * A raw record (as the system's API returns its fields) → canonical values of every mapping with a column in `system`,
 * whatever its direction (the merge needs the current value of a system it may write). A wire field missing from
 * `raw` is left out (unknown: it neither changes nor clears anything in the merge); present but null or blank → null.
 */
export function toCanonical(rules: SyncRules, system: SystemName, object: CrmObject, raw: Record<string, unknown>): FieldValues {
  const fields: FieldValues = {};
  for (const mapping of mappingsOf(rules, object)) {
    const column = columnOf(mapping, system);
    if (column === undefined || !Object.hasOwn(raw, column.field)) continue;
    const value = wireToCanonical(rules, mapping.transform, system, rawToText(raw[column.field]));
    if (value !== undefined) fields[mapping.name] = value;
  }
  return fields;
}

/**
 * Canonical values → wire values for `system`, keyed by the system's field names. Only keys present in `fields`, only
 * columns that write to `system`, and never an enum value the tables say to drop. null means "clear" (each connector
 * spells that its own way). Numbers stay strings here.
 */
export function fromCanonical(rules: SyncRules, system: SystemName, object: CrmObject, fields: FieldValues): Record<string, string | null> {
  const wire: Record<string, string | null> = {};
  for (const mapping of mappingsOf(rules, object)) {
    const column = columnOf(mapping, system);
    if (column === undefined || column.direction === 'from' || !Object.hasOwn(fields, mapping.name)) continue;
    const value = canonicalToWire(rules, mapping.transform, system, fields[mapping.name] ?? null);
    if (value !== undefined) wire[column.field] = value;
  }
  return wire;
}

/**
 * The wire fields to request when reading `object` from `system`: every mapped field. Connector-owned fields (ids,
 * modification times, cross-references, associations) are not included.
 */
export function wireFieldNames(rules: SyncRules, system: SystemName, object: CrmObject): string[] {
  const names = mappingsOf(rules, object).flatMap((mapping) => columnOf(mapping, system)?.field ?? []);
  return [...new Set(names)];
}

/** Contacts match by email (case-insensitive); companies by domain, then exact name; deals never (only by links). */
export function matchKeysOf(object: CrmObject, fields: FieldValues): MatchKeys {
  if (object === 'deal') return {};
  const text = (name: string): string | null => rawToText(fields[name]);
  if (object === 'contact') {
    const email = text('email');
    return { email: email === null ? null : normaliseEmail(email) };
  }
  const domain = text('domain');
  return { domain: domain === null ? null : normaliseDomain(domain) || null, name: text('name') };
}

/** Which entities of `object` `system` holds; a system or object the rules do not list holds every entity. */
export function holdsRuleOf(rules: SyncRules, system: SystemName, object: CrmObject): HoldsRule {
  const objects = Object.hasOwn(rules.holds, system) ? rules.holds[system] : undefined;
  return objects?.[object] ?? true;
}

/**
 * Whether `system` holds the entity with these canonical values for its own sake: false for a rule of false, which
 * holds an entity only when a record the system holds needs it (the caller knows that, not the rule).
 */
export function holdsOnItsOwn(rules: SyncRules, system: SystemName, object: CrmObject, values: FieldValues): boolean {
  const rule = holdsRuleOf(rules, system, object);
  return typeof rule === 'boolean' ? rule : evaluateCondition(rule, canonicalReader(values));
}

/** What deleting a record in `deletedIn` does to the entity's records in other systems (its link is always removed). */
export function deleteActionFor(rules: SyncRules, deletedIn: SystemName): DeleteAction {
  return (Object.hasOwn(rules.deletes, deletedIn) ? rules.deletes[deletedIn] : undefined) ?? 'unlink';
}

/** The field of `system` that holds the id of the entity's record in `other`, if `system` keeps one for `object`. */
export function crossReferenceField(rules: SyncRules, system: SystemName, other: SystemName, object: CrmObject): string | undefined {
  const refs = crossReferenceFields(rules, system, object);
  return Object.hasOwn(refs, other) ? refs[other] : undefined;
}

/** Every cross-reference field of `system` for `object`, keyed by the system whose record id it holds. */
export function crossReferenceFields(rules: SyncRules, system: SystemName, object: CrmObject): Record<SystemName, string> {
  const fields: Record<SystemName, string> = {};
  const refs = Object.hasOwn(rules.crossReference, system) ? rules.crossReference[system] : undefined;
  for (const [other, field] of Object.entries(refs ?? {})) {
    const name = typeof field === 'string' ? field : field[object];
    if (name !== undefined) fields[other] = name;
  }
  return fields;
}

/** The other systems' ids a record of `system` holds in its cross-reference fields (empty ones left out). */
export function crossRefsIn(rules: SyncRules, system: SystemName, object: CrmObject, record: Readonly<Record<string, unknown>>): Record<SystemName, string> {
  const refs: Record<SystemName, string> = {};
  for (const [other, field] of Object.entries(crossReferenceFields(rules, system, object))) {
    const value = record[field];
    if (typeof value === 'string' && value !== '') refs[other] = value;
  }
  return refs;
}
