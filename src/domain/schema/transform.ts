import { z } from 'zod';

const EnumTable = z.record(z.string().min(1), z.string().min(1));

/**
 * One system's spelling of an enumeration. Canonical values are the hub's own vocabulary (the default configuration
 * uses Zoho's picklist values); a system without a table reads and writes canonical values as they are.
 */
const SystemEnumTable = z
  .strictObject({
    toWire: EnumTable.describe('canonical value → this system\'s value'),
    fromWire: EnumTable.optional().describe('this system\'s value → canonical value; default: toWire inverted'),
  })
  .superRefine((table, ctx) => {
    if (!table.fromWire) {
      // an injective table inverts into one that round-trips by construction; only collisions need reporting
      const seen = new Map<string, string>();
      for (const [canonical, wire] of Object.entries(table.toWire)) {
        const first = seen.get(wire);
        if (first === undefined) seen.set(wire, canonical);
        else {
          const message = `"${first}" and "${canonical}" both map to "${wire}": give fromWire to say which one "${wire}" reads as`;
          ctx.addIssue({ code: 'custom', path: ['toWire', canonical], message });
        }
      }
      return;
    }
    const fromWire = table.fromWire;
    for (const [canonical, wire] of Object.entries(table.toWire)) {
      if (fromWire[wire] !== canonical) {
        const message = `must map "${wire}" back to "${canonical}" (toWire maps "${canonical}" to it), or values will not round-trip`;
        ctx.addIssue({ code: 'custom', path: ['fromWire', wire], message });
      }
    }
    for (const [wire, canonical] of Object.entries(fromWire)) {
      if (!Object.hasOwn(table.toWire, canonical)) {
        const message = `maps to "${canonical}", which toWire lacks: "${wire}" could not be written back`;
        ctx.addIssue({ code: 'custom', path: ['fromWire', wire], message });
      }
    }
  })
  .transform((table) => ({ toWire: table.toWire, fromWire: table.fromWire ?? invertTable(table.toWire) }));

const EnumTransform = z.strictObject({
  kind: z.literal('enum'),
  tables: z.record(z.string().min(1), SystemEnumTable).describe('per system: how it spells the canonical values'),
  unmapped: z
    .enum(['keep', 'drop'])
    .default('keep')
    .describe('a value missing from a table: keep = pass it through (validation reports it); drop = never write it (that system keeps its value)'),
});

const DomainForm = z.enum(['bare', 'url']);

const TransformObject = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('trim') }),
  z.strictObject({ kind: z.literal('lowercase') }),
  z.strictObject({
    kind: z.literal('phone'),
    defaultCountryCode: z
      .string()
      .regex(/^[1-9]\d{0,2}$/, 'expected a country calling code of 1-3 digits without "+", e.g. "44"')
      .nullable()
      .optional()
      .describe('overrides phone.defaultCountryCode for this field; null = never assume one'),
  }),
  z.strictObject({ kind: z.literal('number') }),
  z.strictObject({
    kind: z.literal('domain'),
    forms: z.record(z.string().min(1), DomainForm).default({}).describe('per system: bare domain or https:// URL (default bare)'),
  }),
  EnumTransform,
]);

export const TRANSFORM_SHORTHANDS = ['trim', 'lowercase', 'phone', 'number', 'domain'] as const;

/**
 * How values are normalised into canonical form and written back. Every transform trims and turns '' into null
 * first. A bare string is shorthand for `{ kind }` with default options.
 */
export const Transform = z
  .union([z.enum(TRANSFORM_SHORTHANDS).transform((kind) => TransformObject.parse({ kind })), TransformObject])
  .describe('trim | lowercase | phone | number | domain | { kind: "domain", forms } | { kind: "enum", tables, unmapped? }');
export type Transform = z.infer<typeof Transform>;
export type EnumTransform = Extract<Transform, { kind: 'enum' }>;

export function invertTable(table: Record<string, string>): Record<string, string> {
  const inverse: Record<string, string> = {};
  for (const [from, to] of Object.entries(table)) if (!Object.hasOwn(inverse, to)) inverse[to] = from;
  return inverse;
}
