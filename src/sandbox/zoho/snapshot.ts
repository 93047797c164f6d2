import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ZohoData } from './data';
import { DATA_TYPES, MODULES } from './fields';
import type { StoredRecord } from './record-types';
import type { ChannelStore } from './watch-store';

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const SnapshotRecord = z.object({
  id: z.string(),
  module: z.enum(MODULES),
  values: z.record(z.string(), Value),
  createdMs: z.number(),
  modifiedMs: z.number(),
  createdBy: z.string(),
  modifiedBy: z.string(),
  deletedMs: z.number().optional(),
  deletedBy: z.string().optional(),
});
const FieldDefSchema = z.object({
  id: z.string(),
  api_name: z.string(),
  field_label: z.string(),
  data_type: z.enum(DATA_TYPES),
  length: z.number(),
  unique: z.object({ case_sensitive: z.boolean().optional() }),
  system_mandatory: z.boolean(),
  read_only: z.boolean(),
  custom_field: z.boolean(),
  lookupModule: z.enum(MODULES).optional(),
  pickList: z.array(z.string()).optional(),
});
const ChannelSchema = z.object({
  channel_id: z.string(),
  events: z.array(z.string()),
  notify_url: z.string(),
  token: z.string().nullable(),
  expiresAt: z.number(),
  return_affected_field_values: z.boolean(),
  notify_on_related_action: z.boolean(),
  notification_condition: z.unknown(),
});
const Snapshot = z.object({
  version: z.literal(1),
  nextId: z.number().int(),
  records: z.array(SnapshotRecord),
  deleted: z.array(SnapshotRecord),
  customFields: z.array(z.object({ module: z.enum(MODULES), def: FieldDefSchema })),
  channels: z.array(ChannelSchema),
});

function strip(rec: z.infer<typeof SnapshotRecord>): StoredRecord {
  const out: StoredRecord = { ...rec };
  if (rec.deletedMs === undefined) delete out.deletedMs;
  if (rec.deletedBy === undefined) delete out.deletedBy;
  return out;
}

/** Records (deleted ones too), custom fields and channels as the snapshot file holds them (written by SnapshotWriter). */
export function snapshotBody(data: ZohoData, channels: ChannelStore): string {
  const records = MODULES.flatMap((m) => [...data.store(m).all()]);
  const deleted = MODULES.flatMap((m) => [...data.store(m).deletedRecords()]);
  return JSON.stringify({ version: 1, nextId: data.ids.current, records, deleted, customFields: data.fields.exportAdded(), channels: channels.all() });
}

/** Loads `file` if present (a missing file is a fresh start). Fires no notifications. */
export async function loadSnapshot(data: ZohoData, channels: ChannelStore, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const snap = Snapshot.parse(JSON.parse(await readFile(file, 'utf8')));
  data.resetAll();
  for (const { module, def } of snap.customFields) {
    const restored = { ...def };
    if (def.lookupModule === undefined) delete restored.lookupModule;
    if (def.pickList === undefined) delete restored.pickList;
    data.fields.add(module, restored);
    if (Object.keys(def.unique).length > 0) data.indexField(module, def.api_name);
  }
  for (const module of MODULES) {
    data.store(module).bulkLoad(
      snap.records.filter((r) => r.module === module).map(strip),
      snap.deleted.filter((r) => r.module === module).map(strip),
    );
  }
  data.ids.current = snap.nextId;
  for (const c of snap.channels) channels.set(c);
  return true;
}
