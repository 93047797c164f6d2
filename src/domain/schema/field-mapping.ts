import { z } from 'zod';
import { Condition } from './condition';
import { Transform } from './transform';

export const SYSTEM_NAMES = ['hubspot', 'zoho'] as const;
const Target = z.enum(SYSTEM_NAMES);

export const DIRECTIONS = ['both', 'zoho-to-hubspot', 'hubspot-to-zoho'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const MaxLength = z.number().int().positive();

export const FORMATS = ['email', 'phone', 'number', 'integer', 'domain'] as const;

export const Validation = z
  .strictObject({
    format: z.enum(FORMATS).optional().describe('format the canonical value must have before it is written'),
    maxLength: z
      .strictObject({
        hubspot: MaxLength.optional().describe('longest value HubSpot accepts for this property'),
        zoho: MaxLength.optional().describe('longest value Zoho accepts for this field'),
      })
      .optional()
      .describe('maximum length of the value as written to each target'),
    required: z
      .array(Target)
      .optional()
      .describe('targets where the field must have a value: present when creating, never cleared when updating'),
    requiredIf: z
      .array(
        z.strictObject({
          when: Condition.describe('condition on canonical fields of the same record'),
          in: z.array(Target).min(1).optional().describe('targets the rule applies to; default both'),
        }),
      )
      .optional()
      .describe('the field must have a value whenever the condition holds, e.g. mobile when leadStatus equals Hot'),
  })
  .describe('checks applied before writing to a target');
export type Validation = z.infer<typeof Validation>;

export const FieldMapping = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][A-Za-z0-9_]*$/, 'expected a camelCase identifier such as "email" or "firstName"')
    .describe('canonical field name used in merge bases and logs'),
  hubspot: z.string().min(1).describe('HubSpot property internal name'),
  zoho: z.string().min(1).describe('Zoho field API name'),
  direction: z.enum(DIRECTIONS).default('both').describe('which way values flow; a side a direction excludes is never written'),
  transform: Transform.prefault('trim'),
  validate: Validation.prefault({}),
});
export type FieldMapping = z.infer<typeof FieldMapping>;
export type FieldMappingInput = z.input<typeof FieldMapping>;
