import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * The codec-server wire body: proto3 JSON of `{ payloads: Payload[] }`, where every bytes field (data and each
 * metadata value) is base64. This is what the Temporal Web UI and `temporal --codec-endpoint` send and expect.
 */
export const JsonPayload = z.object({
  metadata: z.record(z.string(), z.string()).nullish(),
  data: z.string().nullish(),
});
export type JsonPayload = z.infer<typeof JsonPayload>;

// `temporal workflow query` without arguments sends `{}`: no payloads, nothing to decode.
export const CodecRequestBody = z.strictObject({ payloads: z.array(JsonPayload).default([]) });
export type CodecRequestBody = z.infer<typeof CodecRequestBody>;

// Proto3 JSON readers accept both the standard and the URL-safe alphabet, padded or not.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export class PayloadJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadJsonError';
  }
}

function bytesFrom(text: string, where: string): Buffer {
  // Buffer.from silently drops characters outside the alphabet; reject them instead of decoding garbage.
  if (!BASE64.test(text)) throw new PayloadJsonError(`${where} is not base64`);
  return Buffer.from(text, 'base64');
}

export function payloadFromJson(json: JsonPayload, index: number): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(json.metadata ?? {})) {
    metadata[key] = bytesFrom(value, `payloads[${index}].metadata.${key}`);
  }
  return { metadata, data: json.data ? bytesFrom(json.data, `payloads[${index}].data`) : new Uint8Array(0) };
}

export function payloadToJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array(0)).toString('base64') };
}
