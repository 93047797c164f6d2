import type { SyncRules } from '../config/sync-rules';
import type { CrmObject, CrmSystem, FieldValues, MatchKeys } from './records';
import type { FieldMapping } from './schema/field-mapping';
import { conditionFields, evaluateCondition, rawReader } from './conditions';
import { normaliseDomain, normaliseEmail, rawToText } from './normalise';
import { canonicalToWire, wireToCanonical } from './transforms';

export function mappingsOf(rules: SyncRules, object: CrmObject): FieldMapping[] {
  return rules.mappings[object];
}

/** Whether values of this mapping may be written to `system` (its direction does not exclude that side). */
export function writesTo(mapping: FieldMapping, system: CrmSystem): boolean {
  return mapping.direction === 'both' || mapping.direction === (system === 'hubspot' ? 'zoho-to-hubspot' : 'hubspot-to-zoho');
}

/**
 * A raw record (HubSpot `properties`, or a flat Zoho record) → canonical values of every mapping, whatever its
 * direction (the merge needs the current value of a side it may write). A wire field missing from `raw` is left out
 * (unknown: it neither changes nor clears anything in the merge); a field present but null or blank becomes null.
 */
export function toCanonical(rules: SyncRules, system: CrmSystem, object: CrmObject, raw: Record<string, unknown>): FieldValues {
  const fields: FieldValues = {};
  for (const mapping of mappingsOf(rules, object)) {
    const wire = mapping[system];
    if (!Object.hasOwn(raw, wire)) continue;
    const value = wireToCanonical(rules, mapping.transform, system, rawToText(raw[wire]));
    if (value !== undefined) fields[mapping.name] = value;
  }
  return fields;
}

/**
 * Canonical values → wire values for `system`, keyed by HubSpot property / Zoho field. Only keys present in
 * `fields`, only mappings whose direction writes to `system`, and never an enum value the tables say to drop. null
 * means "clear" (HubSpot expects "" for that; Zoho null). Zoho numbers stay strings here.
 */
export function fromCanonical(rules: SyncRules, system: CrmSystem, object: CrmObject, fields: FieldValues): Record<string, string | null> {
  const wire: Record<string, string | null> = {};
  for (const mapping of mappingsOf(rules, object)) {
    if (!writesTo(mapping, system) || !Object.hasOwn(fields, mapping.name)) continue;
    const value = canonicalToWire(rules, mapping.transform, system, fields[mapping.name] ?? null);
    if (value !== undefined) wire[mapping[system]] = value;
  }
  return wire;
}

/**
 * The wire fields to request when reading `object` from `system`: every mapped field and, for Zoho, the fields the
 * hot rule tests. Connector-owned fields (ids, modification times, cross-reference, associations) are not included.
 */
export function wireFieldNames(rules: SyncRules, system: CrmSystem, object: CrmObject): string[] {
  const names = mappingsOf(rules, object).map((mapping) => mapping[system]);
  const hot = rules.hot[object];
  if (system === 'zoho' && hot) names.push(...conditionFields(hot));
  return [...new Set(names)];
}

/** Contacts match by email (case-insensitive); companies by domain, then exact name. */
export function matchKeysOf(object: CrmObject, fields: FieldValues): MatchKeys {
  const text = (name: string): string | null => rawToText(fields[name]);
  if (object === 'contact') {
    const email = text('email');
    return { email: email === null ? null : normaliseEmail(email) };
  }
  const domain = text('domain');
  return { domain: domain === null ? null : normaliseDomain(domain) || null, name: text('name') };
}

/** Whether a raw Zoho record may exist in HubSpot (the configured hot rule; no rule = every record). */
export function isHot(rules: SyncRules, object: CrmObject, zohoRaw: Record<string, unknown>): boolean {
  const rule = rules.hot[object];
  if (rule === false) return false;
  return rule === null || evaluateCondition(rule, rawReader(zohoRaw));
}

export type DeleteAction = 'unlink' | 'archive-counterpart' | 'delete-counterpart';

/** What deleting a record in `deletedIn` does to its linked counterpart (the link itself is always removed). */
export function deleteActionFor(rules: SyncRules, deletedIn: CrmSystem): DeleteAction {
  return deletedIn === 'zoho' ? rules.deletes.zoho : rules.deletes.hubspot;
}
