import type { FieldProblem } from './field-problem';
import type { CrmObject, FieldValues, SystemName } from './records';
import type { Column, FieldMapping, Validation } from './schema/field-mapping';
import type { SyncRules } from './schema/sync-rules';
import { canonicalReader, conditionFields, describeCondition, evaluateCondition } from './conditions';
import { columnOf, mappingsOf } from './mapping';
import { canonicalToWire, enumKnows } from './transforms';

export interface ValidateOptions {
  /** true: `fields` is a full create payload; false: `fields` is an update patch. */
  creating: boolean;
  /**
   * For updates: the whole record as it will be after the write (e.g. the merged values). Required-if rules read
   * their conditions from it; without it they see only `fields`.
   */
  record?: FieldValues;
}

const FORMAT_CHECKS: Record<NonNullable<Validation['format']>, { test: (value: string) => boolean; message: string }> = {
  email: { test: (v) => v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), message: 'is not a valid email address' },
  phone: { test: (v) => /^\+[1-9]\d{6,14}$/.test(v), message: 'is not a phone number in +<country code><number> form' },
  number: { test: (v) => /^-?\d+(\.\d+)?$/.test(v), message: 'is not a number' },
  integer: { test: (v) => /^-?\d+$/.test(v), message: 'is not a whole number' },
  domain: {
    test: (v) => /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(v),
    message: 'is not a domain name',
  },
};

/**
 * Checks what is about to be written to `target` against the rules: required fields, required-if rules, formats,
 * enumeration vocabularies and the target's maximum lengths. Only columns that write to `target` are checked. On
 * update, a rule is checked only when the patch touches a field it involves, so a problem the record already had
 * never blocks an unrelated write.
 */
export function validateFor(
  rules: SyncRules,
  target: SystemName,
  object: CrmObject,
  fields: FieldValues,
  opts: ValidateOptions,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const record = { ...opts.record, ...fields };
  for (const mapping of mappingsOf(rules, object)) {
    const column = columnOf(mapping, target);
    if (column === undefined || column.direction === 'from') continue;
    const where = `${target} field "${column.field}"`;
    const report = (reason: string) => problems.push({ field: mapping.name, reason: `${reason} (${where})` });
    const missing = requiredProblem(mapping, column, target, fields, record, opts.creating);
    if (missing) report(missing);
    const value = fields[mapping.name];
    if (value !== null && value !== undefined) {
      for (const reason of valueProblems(rules, mapping, column, target, value)) report(reason);
    }
  }
  return problems;
}

function requiredProblem(
  mapping: FieldMapping,
  column: Column,
  target: SystemName,
  fields: FieldValues,
  record: FieldValues,
  creating: boolean,
): string | null {
  const present = Object.hasOwn(fields, mapping.name);
  const empty = (values: FieldValues) => values[mapping.name] === null || values[mapping.name] === undefined;
  if (column.required) {
    if (creating && empty(fields)) return 'is required';
    if (!creating && present && empty(fields)) return 'is required and cannot be cleared';
  }
  for (const rule of mapping.validate.requiredIf ?? []) {
    if (rule.in && !rule.in.includes(target)) continue;
    const touched = creating || present || conditionFields(rule.when).some((field) => Object.hasOwn(fields, field));
    if (touched && empty(record) && evaluateCondition(rule.when, canonicalReader(record))) {
      return `is required when ${describeCondition(rule.when)}`;
    }
  }
  return null;
}

function valueProblems(rules: SyncRules, mapping: FieldMapping, column: Column, target: SystemName, value: string): string[] {
  const problems: string[] = [];
  const format = mapping.validate.format;
  const check = format ? FORMAT_CHECKS[format] : undefined;
  if (check && !check.test(value)) problems.push(`${JSON.stringify(value)} ${check.message}`);
  const transform = mapping.transform;
  if (transform.kind === 'enum' && transform.unmapped === 'keep' && !enumKnows(transform, value)) {
    problems.push(`${JSON.stringify(value)} is not in the value table of this enumeration`);
  }
  const max = column.maxLength;
  const wire = canonicalToWire(rules, transform, target, value);
  if (max !== undefined && typeof wire === 'string' && [...wire].length > max) {
    problems.push(`is ${[...wire].length} characters long; the maximum is ${max}`);
  }
  return problems;
}
