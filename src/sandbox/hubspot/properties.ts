import { z } from 'zod';
import { HubspotError, invalidProperties, type PropertyProblem } from './errors';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import { DEFAULT_PROPERTIES, type PropertySpec } from './property-defaults';

/** Wire shape of a property definition (GET /crm/v3/properties/{objectType}). */
export interface PropertyDefinition extends Required<Omit<PropertySpec, 'readOnlyValue' | 'hubspotDefined'>> {
  description: string;
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined?: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export const PropertyCreate = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'name must be lower-case letters, digits and underscores'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'datetime', 'date', 'enumeration', 'bool', 'phone_number']),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string(), displayOrder: z.number().optional(), hidden: z.boolean().optional() })).optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  displayOrder: z.number().optional(),
  formField: z.boolean().optional(),
});
export type PropertyCreate = z.infer<typeof PropertyCreate>;

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[a-z]{2,}$/i;

function definition(spec: PropertySpec & { hidden?: boolean; displayOrder?: number; formField?: boolean }, at: string): PropertyDefinition {
  return {
    name: spec.name,
    label: spec.label,
    type: spec.type,
    fieldType: spec.fieldType,
    groupName: spec.groupName,
    description: spec.description ?? '',
    options: spec.options ?? [],
    hasUniqueValue: spec.hasUniqueValue ?? false,
    displayOrder: spec.displayOrder ?? -1,
    calculated: false,
    externalOptions: false,
    hidden: spec.hidden ?? false,
    formField: spec.formField ?? true,
    ...(spec.hubspotDefined ? { hubspotDefined: true } : {}),
    modificationMetadata: { archivable: !spec.hubspotDefined, readOnlyDefinition: spec.hubspotDefined ?? false, readOnlyValue: spec.readOnlyValue ?? false },
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
}

/** Property definitions per object, including the custom ones the connector creates (e.g. zoho_record_id). */
export class PropertyRegistry {
  private readonly defs = new Map<ObjectType, Map<string, PropertyDefinition>>();
  /** uniqueNames() is on the write path of every record, so it is cached until definitions change. */
  private uniqueCache = new Map<ObjectType, string[]>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.uniqueCache.clear();
    const at = new Date(0).toISOString();
    for (const type of OBJECT_TYPES) {
      this.defs.set(type, new Map(DEFAULT_PROPERTIES[type].map((spec) => [spec.name, definition(spec, at)])));
    }
  }

  list(type: ObjectType): PropertyDefinition[] {
    return [...this.map(type).values()];
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    return this.map(type).get(name);
  }

  custom(type: ObjectType): PropertyDefinition[] {
    return this.list(type).filter((def) => !def.hubspotDefined);
  }

  /** Unique custom properties (hasUniqueValue); contact email is unique too but handled by the store. */
  uniqueNames(type: ObjectType): string[] {
    let names = this.uniqueCache.get(type);
    if (!names) {
      names = this.list(type).filter((def) => def.hasUniqueValue).map((def) => def.name);
      this.uniqueCache.set(type, names);
    }
    return names;
  }

  create(type: ObjectType, input: PropertyCreate): PropertyDefinition {
    if (this.map(type).has(input.name)) {
      throw new HubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`);
    }
    const def = definition(input, new Date().toISOString());
    this.map(type).set(def.name, def);
    this.uniqueCache.clear();
    return def;
  }

  restore(type: ObjectType, def: PropertyDefinition): void {
    this.map(type).set(def.name, def);
    this.uniqueCache.clear();
  }

  /**
   * Checks and normalises a write the way HubSpot does: unknown and read-only properties, invalid emails,
   * numbers and options are refused together in one 400; values become strings and "" / null mean "clear".
   */
  normalize(type: ObjectType, input: Record<string, unknown>): Record<string, string | null> {
    const problems: PropertyProblem[] = [];
    const out: Record<string, string | null> = {};
    for (const [name, raw] of Object.entries(input)) {
      const def = this.get(type, name);
      if (!def) {
        problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (def.modificationMetadata.readOnlyValue) {
        problems.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
        continue;
      }
      if (raw === null || raw === undefined || raw === '') {
        out[name] = null;
        continue;
      }
      if (typeof raw === 'object') {
        problems.push({ name, error: 'INVALID_TYPE', message: `${JSON.stringify(raw)} is not a valid value for ${name}` });
        continue;
      }
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean' && typeof raw !== 'bigint') {
        problems.push({ name, error: 'INVALID_TYPE', message: `unsupported value for ${name}` });
        continue;
      }
      const value = this.coerce(def, String(raw), problems);
      if (value !== undefined) out[name] = value;
    }
    if (problems.length > 0) throw invalidProperties(problems);
    return out;
  }

  private coerce(def: PropertyDefinition, value: string, problems: PropertyProblem[]): string | undefined {
    const name = def.name;
    if (name === 'email') {
      // HubSpot stores addresses trimmed and lower-cased; that difference is itself something a sync must tolerate.
      const email = value.trim().toLowerCase();
      if (!EMAIL.test(email)) {
        problems.push({ name, error: 'INVALID_EMAIL', message: `Email address ${value} is invalid` });
        return undefined;
      }
      return email;
    }
    switch (def.type) {
      case 'number':
        if (!Number.isFinite(Number(value))) {
          problems.push({ name, error: 'INVALID_LONG', message: `${value} is not a valid number for ${name}` });
          return undefined;
        }
        return value;
      case 'datetime':
      case 'date': {
        const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
        if (!Number.isFinite(ms)) {
          problems.push({ name, error: 'INVALID_DATE', message: `${value} is not a valid date for ${name}` });
          return undefined;
        }
        return def.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
      }
      case 'bool':
        if (!['true', 'false'].includes(value.toLowerCase())) {
          problems.push({ name, error: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean for ${name}` });
          return undefined;
        }
        return value.toLowerCase();
      case 'enumeration':
        if (def.options.length > 0 && !value.split(';').every((part) => def.options.some((o) => o.value === part))) {
          const allowed = def.options.map((o) => o.value).join(', ');
          problems.push({ name, error: 'INVALID_OPTION', message: `${value} was not one of the allowed options: [${allowed}]` });
          return undefined;
        }
        return value;
      default:
        return value;
    }
  }

  private map(type: ObjectType): Map<string, PropertyDefinition> {
    const map = this.defs.get(type);
    if (!map) throw new Error(`no properties for ${type}`);
    return map;
  }
}
