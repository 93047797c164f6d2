import { columnOf, crossReferenceFields, mappingsOf, writesTo } from '../../domain/mapping';
import { CRM_OBJECTS, type CrmObject } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { ConflictError, NotFoundError, PermanentCrmError } from '../errors';
import type { HubspotApi } from './api';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from './sdk-enums';
import { HUBSPOT, OBJECT_TYPE } from './snapshot';
import { DEFAULT_PIPELINE, rulesMapPipeline } from './wire';

const GROUP: Record<CrmObject, string> = { contact: 'contactinformation', company: 'companyinformation', deal: 'dealinformation' };

/**
 * Creates each cross-reference property the rules give HubSpot (zoho_record_id, and shop_user_id, shop_business_id,
 * shop_purchase_id by default) when missing. They must be unique: creates upsert by them, and a duplicate value is
 * what turns a retried create into an update. Then checks the deal stages the rules write against the pipeline.
 */
export async function ensureHubspotSchema(api: HubspotApi, rules: SyncRules): Promise<void> {
  for (const object of CRM_OBJECTS) {
    for (const [other, name] of Object.entries(crossReferenceFields(rules, HUBSPOT, object))) await ensureProperty(api, OBJECT_TYPE[object], GROUP[object], other, name);
  }
  await checkDealStages(api, rules);
}

const STAGE_PROPERTY = 'dealstage';

/**
 * The stage ids the rules may write to deals: the values of HubSpot's own enum table or, where HubSpot has none (it
 * speaks the canonical vocabulary), every canonical value of the tables. Empty when no enumeration writes the stage.
 */
function dealStagesWritten(rules: SyncRules): string[] {
  const mapping = mappingsOf(rules, 'deal').find((m) => columnOf(m, HUBSPOT)?.field === STAGE_PROPERTY && writesTo(m, HUBSPOT));
  if (mapping?.transform.kind !== 'enum') return [];
  const { tables } = mapping.transform;
  const own = Object.hasOwn(tables, HUBSPOT) ? tables[HUBSPOT] : undefined;
  return [...new Set(own ? Object.values(own.toWire) : Object.values(tables).flatMap((table) => Object.keys(table.toWire)))];
}

/**
 * HubSpot refuses a deal whose stage is not one of its pipeline's, so a stage table naming a missing (or renamed)
 * stage would fail every such deal one by one; found here, it stops the start with the stages there are. Deals go to
 * the default pipeline unless the rules map the pipeline, and then a stage only needs to exist in one of them.
 */
async function checkDealStages(api: HubspotApi, rules: SyncRules): Promise<void> {
  const stages = dealStagesWritten(rules);
  if (stages.length === 0) return;
  const answer = await api.call('read deal pipelines', (client, options) => client.crm.pipelines.pipelinesApi.getAll(OBJECT_TYPE.deal, options));
  const anyPipeline = rulesMapPipeline(rules);
  const pipelines = anyPipeline ? answer.results : answer.results.filter((pipeline) => pipeline.id === DEFAULT_PIPELINE);
  const known = pipelines.flatMap((pipeline) => pipeline.stages.map((stage) => stage.id));
  const missing = stages.filter((stage) => !known.includes(stage));
  if (missing.length === 0) return;
  const where = anyPipeline ? 'No HubSpot deal pipeline has' : `HubSpot's deal pipeline "${DEFAULT_PIPELINE}" has no`;
  const named = missing.map((stage) => `"${stage}"`).join(', ');
  throw new PermanentCrmError(
    `${where} stage ${named}, which mappings.deal writes to ${STAGE_PROPERTY} (stages there: ${known.join(', ') || 'none'}); ` +
      'correct the stage table in the sync rules, or the pipeline in HubSpot, and restart',
  );
}

async function ensureProperty(api: HubspotApi, objectType: string, groupName: string, other: string, name: string): Promise<void> {
  try {
    const existing = await api.call('read property', (client, options) =>
      client.crm.properties.coreApi.getByName(objectType, name, false, undefined, options),
    );
    if (existing.hasUniqueValue === true) return;
    throw new PermanentCrmError(
      `HubSpot ${objectType} property ${name} exists but is not unique; HubSpot cannot change that, so rename the ` +
        `existing property (or configure another crossReference.${HUBSPOT}.${other}) and restart`,
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  try {
    await api.call('create property', (client, options) =>
      client.crm.properties.coreApi.create(
        objectType,
        {
          name,
          label: `Record ID in ${other}`,
          description: `Id of the linked ${other} record, written by crm-sync.`,
          type: PropertyCreateTypeEnum.String,
          fieldType: PropertyCreateFieldTypeEnum.Text,
          groupName,
          hasUniqueValue: true,
          formField: false,
        },
        options,
      ),
    );
  } catch (error) {
    // Another worker created it between our read and our create.
    if (!(error instanceof ConflictError)) throw error;
  }
}
