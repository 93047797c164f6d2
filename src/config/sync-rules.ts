import { z } from 'zod';
import { conditionFields } from '../domain/conditions';
import { Condition } from '../domain/schema/condition';
import { DEFAULT_COMPANY_MAPPINGS, DEFAULT_CONTACT_MAPPINGS, DEFAULT_HOT_CONTACT } from '../domain/schema/default-mappings';
import { FieldMapping } from '../domain/schema/field-mapping';
import { describeIssues, type RuleIssue } from '../domain/schema/issues';

/**
 * The sync rules file (SYNC_CONFIG_FILE, JSON). Every key is optional: an omitted key takes its default, field by
 * field for the small objects (deletes, crossReference, phone, hot), but a mapping list that is given REPLACES the
 * default list for that object (merging lists by name would make removing a default mapping impossible).
 */
/**
 * false and null are tested before the condition schema, so that a mistake inside a condition is reported with its
 * own path instead of as "expected false".
 */
const HotRule = z.unknown().transform((value, ctx): Condition | false | null => {
  if (value === false || value === null) return value;
  const parsed = Condition.safeParse(value);
  if (parsed.success) return parsed.data;
  // Re-raised whole (union branches included) so that the report names the innermost path, e.g. hot.contact.any.0.op.
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: value } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

export const SyncRules = z
  .strictObject({
    master: z
      .enum(['zoho', 'hubspot'])
      .default('zoho')
      .describe('system whose value wins a tie (same modification time) and whose non-empty values win on first link'),
    hot: z
      .strictObject({
        contact: HotRule
          .prefault(DEFAULT_HOT_CONTACT)
          .describe('condition on the raw Zoho contact that lets it be created in HubSpot; null = every contact, false = none'),
        company: HotRule
          .default(false)
          .describe('condition on the raw Zoho account that lets it be created in HubSpot; false (default) = only when a hot contact needs it, null = every company'),
      })
      .prefault({})
      .describe('which Zoho records HubSpot holds'),
    deletes: z
      .strictObject({
        zoho: z
          .enum(['archive-counterpart', 'unlink'])
          .default('archive-counterpart')
          .describe('what a Zoho delete does to the linked HubSpot record'),
        hubspot: z
          .enum(['unlink', 'delete-counterpart'])
          .default('unlink')
          .describe('what a HubSpot delete does to the linked Zoho record'),
      })
      .prefault({}),
    crossReference: z
      .strictObject({
        hubspotProperty: z.string().min(1).default('zoho_record_id').describe('HubSpot property holding the Zoho record id'),
        zohoField: z.string().min(1).default('HubSpot_ID').describe('Zoho field holding the HubSpot record id'),
      })
      .prefault({})
      .describe('where each side stores its counterpart id (written by the connectors, not by field mappings)'),
    phone: z
      .strictObject({
        defaultCountryCode: z
          .string()
          .regex(/^[1-9]\d{0,2}$/, 'expected a country calling code of 1-3 digits without "+", e.g. "44"')
          .nullable()
          .default('1')
          .describe('calling code assumed for numbers written without one; null = leave them without a country code'),
      })
      .prefault({}),
    mappings: z
      .strictObject({
        contact: z.array(FieldMapping).prefault(DEFAULT_CONTACT_MAPPINGS).describe('contact field mappings (must include "email")'),
        company: z.array(FieldMapping).prefault(DEFAULT_COMPANY_MAPPINGS).describe('company field mappings (must include "name")'),
      })
      .prefault({}),
  })
  .superRefine((rules, ctx) => {
    for (const object of ['contact', 'company'] as const) {
      for (const issue of mappingListProblems(rules, object)) ctx.addIssue({ code: 'custom', ...issue });
    }
    for (const object of ['contact', 'company'] as const) {
      const condition = rules.hot[object];
      if (condition && conditionFields(condition).includes(rules.crossReference.zohoField)) {
        ctx.addIssue({ code: 'custom', path: ['hot', object], message: 'the hot rule cannot test the cross-reference field' });
      }
    }
  });
export type SyncRules = z.infer<typeof SyncRules>;

/** Keys that identify a counterpart when no link exists: contacts by email, companies by domain then name. */
const MATCH_FIELD = { contact: 'email', company: 'name' } as const;

function mappingListProblems(rules: SyncRules, object: 'contact' | 'company'): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const mappings = rules.mappings[object];
  const names = new Set(mappings.map((m) => m.name));
  const seen = { name: new Map<string, number>(), hubspot: new Map<string, number>(), zoho: new Map<string, number>() };
  const reserved = { hubspot: rules.crossReference.hubspotProperty, zoho: rules.crossReference.zohoField };
  mappings.forEach((mapping, index) => {
    const at = (...rest: PropertyKey[]) => ['mappings', object, index, ...rest];
    for (const key of ['name', 'hubspot', 'zoho'] as const) {
      const first = seen[key].get(mapping[key]);
      if (first !== undefined) problems.push({ path: at(key), message: `"${mapping[key]}" is already used by mapping ${first}` });
      else seen[key].set(mapping[key], index);
    }
    for (const system of ['hubspot', 'zoho'] as const) {
      if (mapping[system] === reserved[system]) {
        problems.push({ path: at(system), message: `"${mapping[system]}" is the cross-reference field; the connectors write it` });
      }
    }
    const writable = { hubspot: mapping.direction !== 'hubspot-to-zoho', zoho: mapping.direction !== 'zoho-to-hubspot' };
    for (const target of mapping.validate.required ?? []) {
      if (!writable[target]) problems.push({ path: at('validate', 'required'), message: `direction "${mapping.direction}" never writes to ${target}` });
    }
    (mapping.validate.requiredIf ?? []).forEach((rule, ruleIndex) => {
      for (const field of conditionFields(rule.when)) {
        if (!names.has(field)) {
          problems.push({ path: at('validate', 'requiredIf', ruleIndex, 'when'), message: `"${field}" is not a canonical field of ${object} mappings` });
        }
      }
    });
  });
  if (!names.has(MATCH_FIELD[object])) {
    problems.push({ path: ['mappings', object], message: `a mapping named "${MATCH_FIELD[object]}" is required: it is how records are matched` });
  }
  return problems;
}

export class SyncRulesError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(`invalid sync rules:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`);
    this.name = 'SyncRulesError';
  }
}

/** Validates a parsed JSON document (see SyncRules for how omitted keys default); throws SyncRulesError. */
export function parseSyncRules(input: unknown): SyncRules {
  const result = SyncRules.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new SyncRulesError(describeIssues(SyncRules, result.error.issues));
}

export const DEFAULT_SYNC_RULES: SyncRules = parseSyncRules({});
