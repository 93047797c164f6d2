import { z } from 'zod';

export const CONDITION_OPS = ['equals', 'notEquals', 'in', 'notEmpty'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** One test on one field. `value` goes with equals/notEquals, `values` with in; notEmpty takes neither. */
export interface FieldCondition {
  field: string;
  op: ConditionOp;
  value?: string;
  values?: string[];
}

/**
 * A predicate over an entity's canonical values (fields are canonical names): it serves holds rules and required-if
 * rules.
 */
export type Condition = FieldCondition | { all: Condition[] } | { any: Condition[] };

/*
 * One leaf schema with every op (rather than one schema per op) so that a mistyped op is reported as
 * "expected one of equals|notEquals|in|notEmpty" instead of as four unrelated union failures.
 */
const FieldConditionSchema = z
  .strictObject({
    field: z.string().min(1).describe('field the condition tests'),
    op: z.enum(CONDITION_OPS).describe('equals | notEquals (with value), in (with values), notEmpty'),
    value: z.string().optional().describe('value compared by equals/notEquals (trimmed, case-insensitive)'),
    values: z.array(z.string()).min(1).optional().describe('values accepted by in (trimmed, case-insensitive)'),
  })
  .superRefine((leaf, ctx) => {
    const report = (path: 'value' | 'values', message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const needsValue = leaf.op === 'equals' || leaf.op === 'notEquals';
    if (needsValue && leaf.value === undefined) report('value', `op "${leaf.op}" needs a string "value"`);
    if (leaf.op === 'in' && leaf.values === undefined) report('values', 'op "in" needs a non-empty "values" array');
    if (!needsValue && leaf.value !== undefined) report('value', `op "${leaf.op}" takes no "value"`);
    if (leaf.op !== 'in' && leaf.values !== undefined) report('values', `op "${leaf.op}" takes no "values"`);
  });

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    FieldConditionSchema,
    z.strictObject({ all: z.array(Condition).min(1).describe('every condition must hold') }),
    z.strictObject({ any: z.array(Condition).min(1).describe('at least one condition must hold') }),
  ]),
);
