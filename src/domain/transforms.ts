import type { SyncRules } from './schema/sync-rules';
import type { EnumTransform, Transform } from './schema/transform';
import type { SystemName } from './records';
import { domainToUrl, normaliseDomain, normaliseEmail, normaliseNumber, normalisePhone } from './normalise';

/** What a transform yields: a value (null = empty), or undefined = "nothing to say" (an enum value it may not write). */
export type Transformed = string | null | undefined;

/** Trimmed, non-empty wire text read from `system` → canonical value. */
export function wireToCanonical(rules: SyncRules, transform: Transform, system: SystemName, text: string | null): Transformed {
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
export function canonicalToWire(rules: SyncRules, transform: Transform, system: SystemName, value: string | null): Transformed {
  const text = value === null ? null : value.trim() || null;
  if (text === null) return null;
  switch (transform.kind) {
    case 'enum':
      return enumToWire(transform, system, text);
    case 'domain': {
      const domain = normaliseDomain(text);
      if (!domain) return null;
      return ownValue(transform.forms, system) === 'url' ? domainToUrl(domain) : domain;
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

/*
 * A system with a table reads through fromWire and writes through toWire; `unmapped` decides what happens to a value
 * its table lacks. A system without a table speaks the canonical vocabulary itself: its values read and write as they
 * are, spelled as the tables spell them when they know the value (people type "hot" for "Hot").
 */
function enumToCanonical(transform: EnumTransform, system: SystemName, text: string): Transformed {
  const table = ownValue(transform.tables, system);
  if (table === undefined) return canonicalSpelling(transform, text) ?? text;
  const key = lookupKey(table.fromWire, text);
  if (key !== undefined) return table.fromWire[key];
  return transform.unmapped === 'keep' ? text : undefined;
}

function enumToWire(transform: EnumTransform, system: SystemName, text: string): Transformed {
  const table = ownValue(transform.tables, system);
  // a system without a table accepts canonical values even when no table lists them: they are its own vocabulary
  if (table === undefined) return canonicalSpelling(transform, text) ?? text;
  const key = lookupKey(table.toWire, text);
  if (key !== undefined) return table.toWire[key];
  return transform.unmapped === 'keep' ? text : undefined;
}

/** Whether the canonical `value` is in the enumeration's vocabulary (the canonical values of its tables). */
export function enumKnows(transform: EnumTransform, value: string): boolean {
  return canonicalSpelling(transform, value) !== undefined;
}

/** The canonical value equal to `text` as some table spells it, or undefined when no table knows it. */
function canonicalSpelling(transform: EnumTransform, text: string): string | undefined {
  const tables = Object.values(transform.tables);
  if (tables.some((table) => Object.hasOwn(table.toWire, text))) return text;
  for (const table of tables) {
    const key = lookupKey(table.toWire, text);
    if (key !== undefined) return key;
  }
  return undefined;
}

/** The table key equal to `text`, exactly or else ignoring case (people type "hot" for "Hot"). Own keys only. */
function lookupKey(table: Record<string, string>, text: string): string | undefined {
  if (Object.hasOwn(table, text)) return text;
  const lower = text.toLowerCase();
  return Object.keys(table).find((key) => key.toLowerCase() === lower);
}

/** A per-system entry; system names come from configuration, so only own keys count. */
function ownValue<T>(bySystem: Record<SystemName, T>, system: SystemName): T | undefined {
  return Object.hasOwn(bySystem, system) ? bySystem[system] : undefined;
}
