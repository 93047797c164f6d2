import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createDataConverter } from '../../src/codec/data-converter';
import type { KeyRing } from '../../src/codec/key-ring';
import { workflowIdFor } from '../../src/domain/records';
import type { PoolAtRest } from './at-rest';
import type { LinkedContact } from './linked-pool';
import { inParallel } from './pacer';
import { progress } from './progress';
import type { BenchStack } from './stack';

const DIR = join(__dirname, '..', 'results', 'off-histories');

/**
 * The workflow histories of the records a run left off at rest, decoded, in one file under bench/results/off-histories
 * (not committed: the bench's data is made up, but decoded histories are plaintext): every run of both record
 * workflows of each record. What each pass read, planned, wrote and saved is there, which is what a lost update is
 * traced by; the CRMs' end state alone does not say which pass went wrong. Null when nothing was off.
 */
async function dumpOffHistories(client: Client, keys: KeyRing, records: readonly LinkedContact[], label: string): Promise<string | null> {
  if (records.length === 0) return null;
  const [codec] = createDataConverter(keys).payloadCodecs ?? [];
  const ids = records.flatMap((record) => [workflowIdFor({ system: 'hubspot', object: 'contact', id: record.hubspotId }), workflowIdFor({ system: 'zoho', object: 'contact', id: record.zohoId })]);
  const histories: Record<string, { runId: string; events: unknown[] }[]> = {};
  await inParallel(ids, 4, async (workflowId) => {
    const runs: { runId: string; events: unknown[] }[] = [];
    for await (const info of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, info.runId).fetchHistory();
      runs.push({ runId: info.runId, events: (await decoded(history.events ?? [], codec)) as unknown[] });
    }
    histories[workflowId] = runs;
  });
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `${label.replace(/[^a-z0-9]+/gi, '-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ records, histories }, null, 1)}\n`);
  return file;
}

/** Writes the workflow histories of the records a run left off at rest, and says where. */
export async function reportOffHistories(stack: Pick<BenchStack, 'client' | 'config'>, atRest: PoolAtRest, label: string): Promise<void> {
  const file = await dumpOffHistories(stack.client, stack.config.codecKeys, atRest.offRecords, label);
  if (file) progress(`    the workflow histories of the ${atRest.offRecords.length} records off: ${file}`);
}

/** A history's protobuf objects as plain JSON: payloads decrypted and converted, 64-bit numbers as numbers, event types named. */
async function decoded(value: unknown, codec: PayloadCodec | undefined): Promise<unknown> {
  if (isLong(value)) return value.toNumber();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return Promise.all(value.map((item) => decoded(item, codec)));
  if (typeof value !== 'object' || value === null) return value;
  if (isPayload(value)) {
    const [plain] = codec ? await codec.decode([value]) : [value];
    return plain ? defaultPayloadConverter.fromPayload(plain) : null;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = key === 'eventType' && typeof item === 'number' ? temporal.api.enums.v1.EventType[item] : await decoded(item, codec);
  return out;
}

function isPayload(value: object): value is Payload {
  return 'data' in value && 'metadata' in value && (value.data instanceof Uint8Array || value.data === null || value.data === undefined) && typeof value.metadata === 'object';
}

/** protobufjs's 64-bit integers (the `long` package's, which the SDK does not export). */
function isLong(value: unknown): value is { toNumber(): number } {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value && 'toNumber' in value && typeof value.toNumber === 'function';
}
