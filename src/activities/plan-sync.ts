import type { SyncRules } from '../config/sync-rules';
import type { FieldProblem } from '../connectors/errors';
import type { RecordLinks } from '../connectors/types';
import { mergeRecords, validateFor } from '../domain';
import { COMPANY_FIELD, type CrmObject, type CrmSystem, type FieldValues, type RecordSnapshot } from '../domain/records';
import type { LinkedPair, SyncStore } from '../store/types';

export interface SyncPlanInput {
  object: CrmObject;
  /** the side whose change triggered this pass */
  origin: CrmSystem;
  hubspot: RecordSnapshot | null;
  zoho: RecordSnapshot | null;
  pair: LinkedPair | null;
  /** create the HubSpot record even when the Zoho record is not hot (a company needed by a hot contact) */
  forceHubspotCreate?: boolean;
}

export interface PlannedWrite {
  operation: 'create' | 'update';
  id: string | null;
  fields: FieldValues;
  links: RecordLinks;
}

export type SyncPlan =
  | { action: 'skip'; reason: string }
  | { action: 'invalid'; target: CrmSystem; operation: 'create' | 'update'; problems: FieldProblem[] }
  /** the HubSpot record must first exist for this Zoho company (contacts only) */
  | { action: 'needs-company'; zohoCompanyId: string }
  | {
      action: 'write';
      merged: FieldValues;
      /**
       * The merge base once only the counterpart has been written: the origin still holds its own values for the
       * fields it is about to receive, so a pass interrupted between the two writes resumes correctly.
       */
      interimBase: FieldValues;
      hubspot: PlannedWrite | null;
      zoho: PlannedWrite | null;
    };

/**
 * Decides what one pass writes: a three-way merge per field against the pair's merge base, the hot rule for
 * creating in HubSpot, validation for each target, and the contact→company link. Reads only our own store.
 */
export async function planSync(rules: SyncRules, store: SyncStore, input: SyncPlanInput): Promise<SyncPlan> {
  const { object, hubspot, zoho, pair } = input;
  if (!hubspot && !zoho) return { action: 'skip', reason: 'neither record exists' };
  if (!hubspot && zoho && !zoho.hot && !input.forceHubspotCreate) {
    return { action: 'skip', reason: 'not hot and not in HubSpot' };
  }
  const hubspotSide = hubspot && { fields: await withCompany(store, hubspot), modifiedAt: toCommonPrecision(hubspot.modifiedAt) };
  const zohoSide = zoho && { fields: await withCompany(store, zoho), modifiedAt: toCommonPrecision(zoho.modifiedAt) };
  const base = pair?.base ?? null;
  const result = mergeRecords({ rules, object, base, hubspot: hubspotSide, zoho: zohoSide });
  const company = object === 'contact' ? mergeCompany(rules, base, hubspotSide, zohoSide) : undefined;
  const merged = company === undefined ? result.merged : { ...result.merged, [COMPANY_FIELD]: company };

  const targets = { hubspot: null as PlannedWrite | null, zoho: null as PlannedWrite | null };
  for (const target of ['zoho', 'hubspot'] as const) {
    const current = target === 'hubspot' ? hubspot : zoho;
    const other = target === 'hubspot' ? zoho : hubspot;
    const patch = target === 'hubspot' ? result.hubspotPatch : result.zohoPatch;
    const creating = current === null;
    const fields = creating ? pickWritable(result.merged, patch) : patch;
    const problems = validateFor(rules, target, object, fields, { creating, record: result.merged });
    if (problems.length) return { action: 'invalid', target, operation: creating ? 'create' : 'update', problems };

    const links: RecordLinks = {};
    if (other && current?.counterpartId !== other.ref.id) links.counterpartId = other.ref.id;
    if (company !== undefined && company !== (current ? await companyOf(store, current) : null)) {
      const companyId = await companyIdIn(store, target, company);
      if (companyId === undefined) {
        if (target === 'hubspot' && company) return { action: 'needs-company', zohoCompanyId: company };
      } else {
        links.companyId = companyId;
      }
    }
    if (!creating && Object.keys(fields).length === 0 && Object.keys(links).length === 0) continue;
    targets[target] = { operation: creating ? 'create' : 'update', id: current?.ref.id ?? null, fields, links };
  }
  const originSide = input.origin === 'hubspot' ? hubspotSide : zohoSide;
  const originWrite = targets[input.origin];
  const interimBase: FieldValues = { ...merged };
  if (originSide && originWrite) {
    for (const key of Object.keys(originWrite.fields)) interimBase[key] = originSide.fields[key] ?? null;
    if (originWrite.links.companyId !== undefined) interimBase[COMPANY_FIELD] = originSide.fields[COMPANY_FIELD] ?? null;
  }
  return { action: 'write', merged, interimBase, ...targets };
}

/**
 * Zoho stamps modifications to the second, HubSpot to the millisecond: times are only comparable at the coarser
 * precision, and two edits within the same second are a tie, which the master wins.
 */
function toCommonPrecision(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

/** On create every merged value goes out; the patch already holds exactly the fields allowed to that side. */
function pickWritable(merged: FieldValues, patch: FieldValues): FieldValues {
  const fields: FieldValues = {};
  for (const key of Object.keys(patch)) if (merged[key] !== null && merged[key] !== undefined) fields[key] = merged[key];
  return fields;
}

async function withCompany(store: SyncStore, snapshot: RecordSnapshot): Promise<FieldValues> {
  if (snapshot.ref.object !== 'contact') return snapshot.fields;
  return { ...snapshot.fields, [COMPANY_FIELD]: await companyOf(store, snapshot) };
}

/** The snapshot's company in Zoho's id space; an unlinked HubSpot company keeps a marker so it still compares. */
async function companyOf(store: SyncStore, snapshot: RecordSnapshot): Promise<string | null> {
  const id = snapshot.companyId ?? null;
  if (!id || snapshot.ref.system === 'zoho') return id;
  const pair = await store.getPair({ system: 'hubspot', object: 'company', id });
  return pair?.zohoId ?? `hubspot:${id}`;
}

/** undefined when the company has no record in `target` yet. */
async function companyIdIn(store: SyncStore, target: CrmSystem, company: string | null): Promise<string | null | undefined> {
  if (company === null) return null;
  if (company.startsWith('hubspot:')) return target === 'hubspot' ? company.slice('hubspot:'.length) : undefined;
  if (target === 'zoho') return company;
  const pair = await store.getPair({ system: 'zoho', object: 'company', id: company });
  return pair?.hubspotId ?? undefined;
}

/** Same rule as the fields: one side changed takes it; both changed, the newer wins; a tie goes to the master. */
function mergeCompany(
  rules: SyncRules,
  base: FieldValues | null,
  hubspot: { fields: FieldValues; modifiedAt: number } | null,
  zoho: { fields: FieldValues; modifiedAt: number } | null,
): string | null {
  const h = hubspot?.fields[COMPANY_FIELD] ?? null;
  const z = zoho?.fields[COMPANY_FIELD] ?? null;
  if (!hubspot) return z;
  if (!zoho || h === z) return h;
  const b = base ? (base[COMPANY_FIELD] ?? null) : undefined;
  if (b === undefined) return z ?? h;
  if (h === b) return z;
  if (z === b) return h;
  if (hubspot.modifiedAt === zoho.modifiedAt) return rules.master === 'hubspot' ? h : z;
  return hubspot.modifiedAt > zoho.modifiedAt ? h : z;
}
