import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { SimContext } from './context';
import { OBJECT_TYPES, perType } from './object-types';
import type { StoredRecord } from './store-types';

const History = z.record(z.string(), z.array(z.object({
  value: z.string(), timestamp: z.string(), sourceType: z.string(), sourceId: z.string().optional(), updatedByUserId: z.number().optional(),
})));
const Definition = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['string', 'number', 'datetime', 'date', 'enumeration', 'bool', 'phone_number']),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string(),
  options: z.array(z.object({ label: z.string(), value: z.string(), displayOrder: z.number().optional(), hidden: z.boolean().optional() })),
  hasUniqueValue: z.boolean(),
  displayOrder: z.number(),
  calculated: z.boolean(),
  externalOptions: z.boolean(),
  hidden: z.boolean(),
  formField: z.boolean(),
  hubspotDefined: z.boolean().optional(),
  modificationMetadata: z.object({ archivable: z.boolean(), readOnlyDefinition: z.boolean(), readOnlyValue: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean(),
});
const SnapshotRecord = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
  archived: z.boolean(),
  archivedAt: z.number().optional(),
  createdBy: z.enum(['API', 'UI', 'SEED']),
  history: History.optional(),
});
const Type = z.enum(OBJECT_TYPES);
/** Files written before deals existed lack them; their associations are [contactId, companyId, typeIds]. */
const PerType = <S extends z.ZodType>(item: S) => z.object({ contacts: z.array(item), companies: z.array(item), deals: z.array(item).default([]) });
const Association = z.union([
  z.tuple([Type, z.string(), Type, z.string(), z.array(z.number())]),
  z.tuple([z.string(), z.string(), z.array(z.number())]).transform(([contactId, companyId, typeIds]) => ['contacts', contactId, 'companies', companyId, typeIds] as const),
]);
const Snapshot = z.object({
  version: z.literal(1),
  records: PerType(SnapshotRecord),
  associations: z.array(Association),
  customProperties: PerType(Definition),
});

function toStored(parsed: z.infer<typeof SnapshotRecord>): StoredRecord {
  const record: StoredRecord = { ...parsed };
  if (parsed.history === undefined) delete record.history;
  if (parsed.archivedAt === undefined) delete record.archivedAt;
  return record;
}

/** All data as the snapshot file holds it (written by SnapshotWriter). */
export function snapshotBody(ctx: SimContext): string {
  const records = perType((type) => [...ctx.stores[type].all()]);
  const customProperties = perType((type) => ctx.registry.custom(type));
  return JSON.stringify({ version: 1, records, associations: ctx.associations.entries(), customProperties });
}

/** Loads `file` if it exists; a missing file just means a fresh start. No webhooks fire. */
export async function loadSnapshot(ctx: SimContext, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const snapshot = Snapshot.parse(JSON.parse(await readFile(file, 'utf8')));
  for (const type of OBJECT_TYPES) {
    for (const def of snapshot.customProperties[type]) ctx.registry.restore(type, def);
    const store = ctx.stores[type];
    for (const parsed of snapshot.records[type]) {
      const record = toStored(parsed);
      store.restore(record);
      ctx.search[type].indexNow(record);
    }
    store.finishRestore();
  }
  for (const [from, fromId, to, toId, typeIds] of snapshot.associations) ctx.associations.add(from, fromId, to, toId, typeIds, 'SEED');
  return true;
}
