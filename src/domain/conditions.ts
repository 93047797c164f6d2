import type { Condition, FieldCondition } from './schema/condition';
import type { FieldValues } from './records';

/*
 * Condition logic lives here, apart from the zod schema, so that workflow code importing the domain does not pull
 * schema construction into Temporal's sandbox.
 */

export function isFieldCondition(condition: Condition): condition is FieldCondition {
  return 'field' in condition;
}

/** Every field a condition reads, so the schema can check they exist and validation can tell what a patch touches. */
export function conditionFields(condition: Condition): string[] {
  if (isFieldCondition(condition)) return [condition.field];
  const children = 'all' in condition ? condition.all : condition.any;
  return children.flatMap(conditionFields);
}

/** A field's values as text: [] when empty, several for a multi-select picklist. */
export type FieldReader = (field: string) => string[];

/** Comparisons trim and ignore case: picklist values are labels people type, and "hot" means "Hot". */
export function evaluateCondition(condition: Condition, read: FieldReader): boolean {
  if (!isFieldCondition(condition)) {
    return 'all' in condition ? condition.all.every((c) => evaluateCondition(c, read)) : condition.any.some((c) => evaluateCondition(c, read));
  }
  const values = read(condition.field).map(fold);
  switch (condition.op) {
    case 'notEmpty':
      return values.length > 0;
    case 'equals':
      return values.includes(fold(condition.value ?? ''));
    case 'notEquals':
      return !values.includes(fold(condition.value ?? ''));
    case 'in':
      return (condition.values ?? []).some((candidate) => values.includes(fold(candidate)));
  }
}

function fold(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * Reads canonical values (absent and null are both empty). A multi-select value (items joined by ';', as rawToText writes
 * them) also reads as each of its items, so `in` and `equals` test the items as well as the whole.
 */
export function canonicalReader(fields: FieldValues): FieldReader {
  return (field) => {
    const value = Object.hasOwn(fields, field) ? fields[field] : null;
    if (value === null || value === undefined) return [];
    const items = value.split(';').map((item) => item.trim()).filter((item) => item !== '');
    return items.length > 1 ? [value, ...items] : [value];
  };
}

/** Human-readable form for messages and the mappings table, e.g. `leadStatus equals "Hot"`. */
export function describeCondition(condition: Condition): string {
  if (!isFieldCondition(condition)) {
    const [word, parts] = 'all' in condition ? [' and ', condition.all] : [' or ', condition.any];
    return parts.length === 1 && parts[0] ? describeCondition(parts[0]) : `(${parts.map(describeCondition).join(word)})`;
  }
  switch (condition.op) {
    case 'notEmpty':
      return `${condition.field} is not empty`;
    case 'in':
      return `${condition.field} in (${(condition.values ?? []).map((v) => JSON.stringify(v)).join(', ')})`;
    default:
      return `${condition.field} ${condition.op === 'equals' ? 'equals' : 'does not equal'} ${JSON.stringify(condition.value ?? '')}`;
  }
}
