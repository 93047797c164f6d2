import { z } from 'zod';
import { Condition } from './condition';
import { Transform } from './transform';

/**
 * Which way a column's values flow: both; `from` = values are taken from this system and never written to it;
 * `to` = values are written to this system and its own edits are ignored (they survive until the field changes
 * elsewhere).
 */
export const COLUMN_DIRECTIONS = ['both', 'from', 'to'] as const;
export type ColumnDirection = (typeof COLUMN_DIRECTIONS)[number];

const ColumnObject = z.strictObject({
  field: z.string().min(1).describe('the system\'s own name of the field (HubSpot property, Zoho field API name, …)'),
  direction: z.enum(COLUMN_DIRECTIONS).default('both').describe('both | from (read only) | to (written only)'),
  maxLength: z.number().int().positive().optional().describe('longest value this system accepts for the field'),
  required: z.boolean().default(false).describe('the field must have a value in this system: present when creating, never cleared when updating'),
});

/** A column: the system's field name, or the full object. */
export const Column = z
  .union([z.string().min(1).transform((field) => ColumnObject.parse({ field })), ColumnObject])
  .describe('"fieldName" or { field, direction?, maxLength?, required? }');
export type Column = z.infer<typeof Column>;

export const FORMATS = ['email', 'phone', 'number', 'integer', 'domain'] as const;

export const Validation = z
  .strictObject({
    format: z.enum(FORMATS).optional().describe('format the canonical value must have before it is written'),
    requiredIf: z
      .array(
        z.strictObject({
          when: Condition.describe('condition on canonical fields of the same record'),
          in: z.array(z.string().min(1)).min(1).optional().describe('systems the rule applies to; default every system'),
        }),
      )
      .optional()
      .describe('the field must have a value whenever the condition holds, e.g. mobile when leadStatus equals Hot'),
  })
  .describe('checks applied before writing to a system');
export type Validation = z.infer<typeof Validation>;

/** One canonical field and its column in each system that holds it. */
export const FieldMapping = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][A-Za-z0-9_]*$/, 'expected a camelCase identifier such as "email" or "firstName"')
    .describe('canonical field name used in merge bases and logs'),
  systems: z.record(z.string().min(1), Column).describe('system name → its column'),
  transform: Transform.prefault('trim'),
  validate: Validation.prefault({}),
});
export type FieldMapping = z.infer<typeof FieldMapping>;
export type FieldMappingInput = z.input<typeof FieldMapping>;
