import type { Entity } from './entity';
import type { FieldProblem } from './field-problem';
import type { HubSettings } from './hub';
import { systemsHolding } from './hub';
import { companyIdIn, companyValueOf, type CompanyIndex } from './companies';
import { crossReferenceField, holdsOnItsOwn } from './mapping';
import { mergeField, mergeRecords, type MergeSide } from './merge';
import { COMPANY_FIELD, type CrmObject, type FieldValues, type RecordLinks, type RecordSnapshot, type SystemName } from './records';
import { validateFor } from './validation';

export interface PlanInput {
  settings: HubSettings;
  object: CrmObject;
  /** the system whose record this pass is about */
  origin: SystemName;
  entity: Entity | null;
  /** every system holding the object: its record as read now, or null when it has none */
  records: Record<SystemName, RecordSnapshot | null>;
  /** the company entities the contacts in `records` point at */
  companies: CompanyIndex;
  /** systems the entity is created in whatever their holds rule says (a company a contact there needs) */
  forceCreate: SystemName[];
}

export interface PlannedWrite {
  system: SystemName;
  operation: 'create' | 'update';
  /** the record to update; null for a create */
  id: string | null;
  fields: FieldValues;
  links: RecordLinks;
  /** the values this plan read for the fields it writes: an update is refused if they changed since (lost update) */
  expected: FieldValues;
}

export type WritePlan = { action: 'write'; merged: FieldValues; targets: PlannedWrite[]; origin: PlannedWrite | null };

export type Plan =
  | { action: 'skip'; reason: string }
  /** a record was read before the version its link records: read again */
  | { action: 'stale'; system: SystemName }
  | { action: 'invalid'; target: SystemName; operation: 'create' | 'update'; problems: FieldProblem[] }
  /** the contact's company has no record in `target` yet: sync `company` there first */
  | { action: 'needs-company'; target: SystemName; company: string }
  | WritePlan;

/**
 * Times are only comparable at the coarsest precision any system stamps with (Zoho: the second): two edits within
 * the same second are a tie, which the first system in priority order wins.
 */
export function toCommonPrecision(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

/**
 * What one pass writes where: merge every record against its link's base, decide which systems get the entity
 * created (holds rules), validate each write, resolve the contact's company in each system. Pure: the live pass
 * and a backfill page both run it, in workflow code.
 */
export function planPass(input: PlanInput): Plan {
  const { settings, object, origin, entity, records, companies } = input;
  const rules = settings.rules;
  const systems = systemsHolding(settings, object);
  for (const system of systems) {
    const record = records[system];
    const link = entity?.links[system];
    if (record && link?.recordId === record.ref.id && link.modifiedAt !== null && record.modifiedAt < link.modifiedAt) return { action: 'stale', system };
  }
  // only systems that hold companies say anything about a contact's company
  const withCompanies = object === 'contact' ? systemsHolding(settings, 'company') : [];
  const sides: Record<SystemName, MergeSide | null> = {};
  const linkBases: Record<SystemName, FieldValues | null> = {};
  for (const system of systems) {
    const record = records[system];
    sides[system] = record ? { fields: valuesHeld(record, companies), modifiedAt: toCommonPrecision(record.modifiedAt) } : null;
    linkBases[system] = entity?.links[system]?.base ?? null;
  }
  const mergeInput = { rules, object, systems, base: entity?.base ?? null, linkBases, sides };
  const result = mergeRecords(mergeInput);
  const merged: FieldValues = { ...result.merged };
  let company: string | null | undefined;
  if (withCompanies.length > 0) {
    const outcome = mergeField(mergeInput, COMPANY_FIELD, (_, slot, base) => slot !== undefined && base !== undefined && slot !== base, (system) => withCompanies.includes(system));
    company = outcome.merged;
    if (company !== undefined) merged[COMPANY_FIELD] = company;
  }

  const targets: PlannedWrite[] = [];
  let originWrite: PlannedWrite | null = null;
  for (const system of systems) {
    const record = records[system] ?? null;
    const creating = record === null;
    if (creating && !holdsOnItsOwn(rules, system, object, merged) && !input.forceCreate.includes(system)) continue;
    const patch = result.patches[system] ?? {};
    const fields = creating ? nonEmpty(patch) : patch;
    const problems = validateFor(rules, system, object, fields, { creating, record: result.merged });
    if (problems.length > 0) return { action: 'invalid', target: system, operation: creating ? 'create' : 'update', problems };

    const links: RecordLinks = {};
    const crossRefs = crossRefsFor(input, system);
    if (Object.keys(crossRefs).length > 0) links.crossRefs = crossRefs;
    if (company !== undefined && withCompanies.includes(system) && company !== (record ? companyValueOf(record, companies) : null)) {
      const companyId = companyIdIn(company, system, companies);
      if (companyId === undefined) return { action: 'needs-company', target: system, company: company as string };
      links.companyId = companyId;
    }
    if (!creating && Object.keys(fields).length === 0 && Object.keys(links).length === 0) continue;
    const expected: FieldValues = {};
    if (record) for (const field of Object.keys(fields)) expected[field] = record.fields[field] ?? null;
    const write: PlannedWrite = { system, operation: creating ? 'create' : 'update', id: record?.ref.id ?? null, fields, links, expected };
    if (system === origin) originWrite = write;
    else targets.push(write);
  }
  const reached = systems.some((system) => system !== origin && (records[system] || targets.some((t) => t.system === system)));
  if (!reached) return { action: 'skip', reason: `no other system holds this ${object}` };
  return { action: 'write', merged, targets, origin: originWrite };
}

/**
 * The ids of the entity's other records that `system` should hold in its cross-reference fields and does not yet:
 * those known before the pass. The origin is written last and also learns the ids just created (originAfter).
 */
function crossRefsFor(input: PlanInput, system: SystemName): Record<SystemName, string> {
  const refs: Record<SystemName, string> = {};
  const held = input.records[system]?.crossRefs ?? {};
  for (const [other, record] of Object.entries(input.records)) {
    if (other === system || !record || !crossReferenceField(input.settings.rules, system, other)) continue;
    if (held[other] !== record.ref.id) refs[other] = record.ref.id;
  }
  return refs;
}

/** What a record holds, as the merge compares it: its canonical fields and, for a contact, its company (if it has any). */
export function valuesHeld(record: RecordSnapshot, companies: CompanyIndex): FieldValues {
  if (record.ref.object !== 'contact' || record.companyId === undefined) return record.fields;
  return { ...record.fields, [COMPANY_FIELD]: companyValueOf(record, companies) };
}

/** On create every non-empty merged value goes out; the patch already holds exactly what that system takes. */
function nonEmpty(patch: FieldValues): FieldValues {
  const fields: FieldValues = {};
  for (const [key, value] of Object.entries(patch)) if (value !== null && value !== undefined) fields[key] = value;
  return fields;
}
