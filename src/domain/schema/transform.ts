import { z } from 'zod';

const EnumTable = z.record(z.string().min(1), z.string().min(1));

/**
 * Enumerations: canonical values are ZOHO's values (Zoho is the master, and the hot rule and required-if rules are
 * written in its vocabulary). `zohoToHubspot` writes canonical values to HubSpot; `hubspotToZoho` reads HubSpot
 * values into the canonical vocabulary. Both tables must agree so that every value round-trips.
 */
const EnumTransform = z
  .strictObject({
    kind: z.literal('enum'),
    zohoToHubspot: EnumTable.describe('Zoho value (canonical) → HubSpot internal value'),
    hubspotToZoho: EnumTable.optional().describe('HubSpot internal value → Zoho value; default: zohoToHubspot inverted'),
    unmapped: z
      .enum(['keep', 'drop'])
      .default('keep')
      .describe('a value missing from the tables: keep = pass it through (validation reports it); drop = never write it (that side keeps its value)'),
  })
  .superRefine((spec, ctx) => {
    if (!spec.hubspotToZoho) {
      // an injective table inverts into one that round-trips by construction; only collisions need reporting
      const seen = new Map<string, string>();
      for (const [zoho, hubspot] of Object.entries(spec.zohoToHubspot)) {
        const first = seen.get(hubspot);
        if (first === undefined) seen.set(hubspot, zoho);
        else {
          const message = `"${first}" and "${zoho}" both map to "${hubspot}": give hubspotToZoho to say which one HubSpot's value reads as`;
          ctx.addIssue({ code: 'custom', path: ['zohoToHubspot', zoho], message });
        }
      }
      return;
    }
    const inverse = spec.hubspotToZoho;
    for (const [zoho, hubspot] of Object.entries(spec.zohoToHubspot)) {
      if (inverse[hubspot] !== zoho) {
        ctx.addIssue({
          code: 'custom',
          path: ['hubspotToZoho', hubspot],
          message: `must map "${hubspot}" back to "${zoho}" (zohoToHubspot maps "${zoho}" to it), or values will not round-trip`,
        });
      }
    }
    for (const [hubspot, zoho] of Object.entries(inverse)) {
      if (!Object.hasOwn(spec.zohoToHubspot, zoho)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hubspotToZoho', hubspot],
          message: `maps to "${zoho}", which zohoToHubspot lacks: HubSpot's "${hubspot}" could not be written back to HubSpot`,
        });
      }
    }
  })
  .transform((spec) => ({ ...spec, hubspotToZoho: spec.hubspotToZoho ?? invertTable(spec.zohoToHubspot) }));

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
    hubspot: z.enum(['bare', 'url']).default('bare').describe('how HubSpot stores it: bare domain or https:// URL'),
    zoho: z.enum(['bare', 'url']).default('url').describe('how Zoho stores it: bare domain or https:// URL'),
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
  .describe('trim | lowercase | phone | number | domain | { kind: "enum", zohoToHubspot, hubspotToZoho?, unmapped? }');
export type Transform = z.infer<typeof Transform>;
export type EnumTransform = Extract<Transform, { kind: 'enum' }>;

export function invertTable(table: Record<string, string>): Record<string, string> {
  const inverse: Record<string, string> = {};
  for (const [from, to] of Object.entries(table)) if (!Object.hasOwn(inverse, to)) inverse[to] = from;
  return inverse;
}
