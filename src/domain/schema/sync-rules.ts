import { z } from 'zod';
import { conditionFields } from '../conditions';
import { CRM_OBJECTS, type CrmObject } from '../records';
import { Condition } from './condition';
import { DEFAULT_CROSS_REFERENCES, DEFAULT_DELETES, DEFAULT_HOLDS, DEFAULT_PRIORITY, DEFAULT_COMPANY_MAPPINGS, DEFAULT_CONTACT_MAPPINGS, DEFAULT_DEAL_MAPPINGS } from './default-mappings';
import { FieldMapping } from './field-mapping';
import { describeIssues, type RuleIssue } from './issues';
import { LEGACY_CONVERSION_NOTE, upgradeLegacyRules } from './legacy-rules';

/**
 * The sync rules file (SYNC_CONFIG_FILE, JSON). Every key is optional: an omitted key takes its default, but a
 * mapping list that is given REPLACES the default list for that object (merging lists by name would make removing a
 * default mapping impossible). System names are checked against the registry when the worker starts.
 */

/**
 * Which entities a system holds (gets created there): true = every entity; false = only when a record it holds
 * needs it (a contact's company); a condition on the entity's canonical values. false and true are tested before
 * the condition schema, so that a mistake inside a condition is reported with its own path.
 */
const HoldsRule = z.unknown().transform((value, ctx): Condition | boolean => {
  if (typeof value === 'boolean') return value;
  const parsed = Condition.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: value } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});
export type HoldsRule = Condition | boolean;

const SystemKey = z.string().min(1);

export const DELETE_ACTIONS = ['unlink', 'archive-counterpart', 'delete-counterpart'] as const;
export type DeleteAction = (typeof DELETE_ACTIONS)[number];

export const SyncRulesSchema = z
  .strictObject({
    priority: z
      .array(SystemKey)
      .min(1)
      .default(DEFAULT_PRIORITY)
      .describe('systems in order of authority: the first wins a tie (same modification time) and, on first link, its non-empty values win'),
    holds: z
      .record(SystemKey, z.partialRecord(z.enum(CRM_OBJECTS), HoldsRule))
      .default(DEFAULT_HOLDS)
      .describe('per system and object: which entities are created there (true = all, false = only when needed, or a condition on canonical fields); a system not listed holds every entity'),
    // merged over the defaults system by system, as the two-system format merged them side by side: a file that sets
    // only one system's action (valid in both formats) keeps the default of the other
    deletes: z
      .record(SystemKey, z.enum(DELETE_ACTIONS).describe('what deleting a record in this system does to the entity\'s records in other systems'))
      .prefault({})
      .transform((given) => ({ ...DEFAULT_DELETES, ...given }))
      .describe('per system: what deleting a record there does to the entity\'s records in other systems (a system not listed takes its default, else unlink)'),
    crossReference: z
      .record(SystemKey, z.record(SystemKey, z.union([z.string().min(1), z.partialRecord(z.enum(CRM_OBJECTS), z.string().min(1))])))
      .default(DEFAULT_CROSS_REFERENCES)
      .describe('per system: the field that holds another system\'s record id, one name for every object or one per object (written by the connectors, not by field mappings)'),
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
        deal: z.array(FieldMapping).prefault(DEFAULT_DEAL_MAPPINGS).describe('deal field mappings (must include "name")'),
      })
      .prefault({}),
  })
  .superRefine((rules, ctx) => {
    for (const object of CRM_OBJECTS) {
      for (const issue of mappingListProblems(rules, object)) ctx.addIssue({ code: 'custom', ...issue });
    }
  });
export type SyncRules = z.infer<typeof SyncRulesSchema>;

/** The field each object cannot do without: contacts match by email, companies by domain then name; deals need a name. */
const MATCH_FIELD: Record<CrmObject, string> = { contact: 'email', company: 'name', deal: 'name' };

function mappingListProblems(rules: SyncRules, object: CrmObject): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const mappings = rules.mappings[object];
  const names = new Map<string, number>();
  const fields = new Map<string, number>();
  mappings.forEach((mapping, index) => {
    const at = (...rest: PropertyKey[]) => ['mappings', object, index, ...rest];
    const first = names.get(mapping.name);
    if (first !== undefined) problems.push({ path: at('name'), message: `"${mapping.name}" is already used by mapping ${first}` });
    else names.set(mapping.name, index);
    for (const [system, column] of Object.entries(mapping.systems)) {
      const key = `${system}\u0000${column.field}`;
      const taken = fields.get(key);
      if (taken !== undefined) problems.push({ path: at('systems', system, 'field'), message: `"${column.field}" is already used by mapping ${taken}` });
      else fields.set(key, index);
      if (Object.values(rules.crossReference[system] ?? {}).some((ref) => (typeof ref === 'string' ? ref : ref[object]) === column.field)) {
        problems.push({ path: at('systems', system, 'field'), message: `"${column.field}" is a cross-reference field; the connectors write it` });
      }
      if (column.required && column.direction === 'from') {
        problems.push({ path: at('systems', system, 'required'), message: `direction "from" never writes to ${system}` });
      }
    }
    (mapping.validate.requiredIf ?? []).forEach((rule, ruleIndex) => {
      for (const field of conditionFields(rule.when)) {
        if (!mappings.some((m) => m.name === field)) {
          problems.push({ path: at('validate', 'requiredIf', ruleIndex, 'when'), message: `"${field}" is not a canonical field of ${object} mappings` });
        }
      }
    });
  });
  if (!names.has(MATCH_FIELD[object])) {
    problems.push({ path: ['mappings', object], message: `a mapping named "${MATCH_FIELD[object]}" is required: it is how records are matched` });
  }
  for (const [system, objects] of Object.entries(rules.holds)) {
    const rule = objects[object];
    // a system without a column in this object's mappings gets no values of it to test: its rule (the shop's default
    // next to a mapping list written before the shop) then holds nothing, which is what such a file asked for
    if (rule === undefined || typeof rule === 'boolean' || !mappings.some((mapping) => Object.hasOwn(mapping.systems, system))) continue;
    for (const field of conditionFields(rule)) {
      if (!names.has(field)) {
        const message = `"${field}" is not a canonical field of ${object} mappings (give holds.${system}.${object} a condition on one that is, or true/false)`;
        problems.push({ path: ['holds', system, object], message });
      }
    }
  }
  return problems;
}

export class SyncRulesError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(`invalid sync rules:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n')}`);
    this.name = 'SyncRulesError';
  }
}

/**
 * Validates a parsed JSON document (see SyncRulesSchema for how omitted keys default); a file in the two-system
 * format of earlier releases is upgraded first (legacy-rules.ts). Throws SyncRulesError.
 */
export function parseSyncRules(input: unknown): SyncRules {
  const document = input ?? {};
  const upgraded = upgradeLegacyRules(document);
  if (!upgraded.ok) throw new SyncRulesError(upgraded.issues);
  const result = SyncRulesSchema.safeParse(upgraded.rules);
  if (result.success) return result.data;
  const issues = describeIssues(SyncRulesSchema, result.error.issues);
  // the upgrader returns a document of the current format untouched, so a new object means it converted an old one
  if (upgraded.rules !== document) issues.push({ path: '(root)', message: LEGACY_CONVERSION_NOTE });
  throw new SyncRulesError(issues);
}

export const DEFAULT_SYNC_RULES: SyncRules = parseSyncRules({});

/** The systems the rules name anywhere, to be checked against the registry at start-up. */
export function systemsNamedIn(rules: SyncRules): string[] {
  const names = new Set<string>([...rules.priority, ...Object.keys(rules.holds), ...Object.keys(rules.deletes)]);
  for (const [system, refs] of Object.entries(rules.crossReference)) {
    names.add(system);
    for (const other of Object.keys(refs)) names.add(other);
  }
  for (const object of CRM_OBJECTS) for (const mapping of rules.mappings[object]) for (const system of Object.keys(mapping.systems)) names.add(system);
  return [...names];
}
