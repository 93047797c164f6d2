import type { SyncRules } from '../config/sync-rules';
import type { EnumTransform, Transform } from './schema/transform';
import type { CrmSystem } from './records';
import { domainToUrl, normaliseDomain, normaliseEmail, normaliseNumber, normalisePhone } from './normalise';

/** What a transform yields: a value (null = empty), or undefined = "nothing to say" (an enum value it may not write). */
export type Transformed = string | null | undefined;

/** Trimmed, non-empty wire text → canonical value. */
export function wireToCanonical(rules: SyncRules, transform: Transform, system: CrmSystem, text: string | null): Transformed {
  if (text === null) return null;
  switch (transform.kind) {
    case 'enum':
      return enumToCanonical(transform, system, text);
    case 'domain':
      return normaliseDomain(text) || null;
    default:
      return normaliseScalar(rules, transform, text);
  }
}

/** Canonical value → the text to write to `system`. Inputs are normalised again, so hand-built values are safe. */
export function canonicalToWire(rules: SyncRules, transform: Transform, system: CrmSystem, value: string | null): Transformed {
  const text = value === null ? null : value.trim() || null;
  if (text === null) return null;
  switch (transform.kind) {
    case 'enum':
      return enumToWire(transform, system, text);
    case 'domain': {
      const domain = normaliseDomain(text);
      if (!domain) return null;
      return transform[system] === 'url' ? domainToUrl(domain) : domain;
    }
    default:
      return normaliseScalar(rules, transform, text);
  }
}

function normaliseScalar(rules: SyncRules, transform: Exclude<Transform, { kind: 'enum' | 'domain' }>, text: string): string {
  switch (transform.kind) {
    case 'trim':
      return text;
    case 'lowercase':
      return normaliseEmail(text);
    case 'phone':
      return normalisePhone(text, transform.defaultCountryCode === undefined ? rules.phone.defaultCountryCode : transform.defaultCountryCode);
    case 'number':
      return normaliseNumber(text);
  }
}

/** Canonical enum values are Zoho's: a Zoho value reads as itself (spelled as in the table when it is there). */
function enumToCanonical(transform: EnumTransform, system: CrmSystem, text: string): Transformed {
  if (system === 'zoho') return lookupKey(transform.zohoToHubspot, text) ?? text;
  const key = lookupKey(transform.hubspotToZoho, text);
  if (key !== undefined) return transform.hubspotToZoho[key];
  return transform.unmapped === 'keep' ? text : undefined;
}

function enumToWire(transform: EnumTransform, system: CrmSystem, text: string): Transformed {
  const key = lookupKey(transform.zohoToHubspot, text);
  // Zoho accepts its own values back even when the table does not list them: they came from Zoho.
  if (system === 'zoho') return key ?? text;
  if (key !== undefined) return transform.zohoToHubspot[key];
  return transform.unmapped === 'keep' ? text : undefined;
}

/** Whether the canonical `value` is in the enumeration's vocabulary (the Zoho values of the tables). */
export function enumKnows(transform: EnumTransform, value: string): boolean {
  return lookupKey(transform.zohoToHubspot, value) !== undefined;
}

/** The table key equal to `text`, exactly or else ignoring case (people type "hot" for "Hot"). Own keys only. */
function lookupKey(table: Record<string, string>, text: string): string | undefined {
  if (Object.hasOwn(table, text)) return text;
  const lower = text.toLowerCase();
  return Object.keys(table).find((key) => key.toLowerCase() === lower);
}
