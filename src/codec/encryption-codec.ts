import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { open, seal } from './aes-gcm';
import { resolveKeyRing, type KeyRing } from './key-ring';

const ProtoPayload = temporal.api.common.v1.Payload;

export const METADATA_ENCODING_KEY = 'encoding';
export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID_KEY = 'encryption-key-id';

const encryptedEncoding = Buffer.from(ENCODING_ENCRYPTED);

export class UnknownEncryptionKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `payload was encrypted with key id "${keyId}", which is not in the key ring ` +
        '(keep retired keys in the ring until no workflow history references them)',
    );
    this.name = 'UnknownEncryptionKeyError';
  }
}

/**
 * AES-256-GCM PayloadCodec. It encrypts the whole serialized Payload (metadata included, so even the converter's
 * `encoding` hint is hidden) into the data of a new payload that only says "binary/encrypted" and which key to use.
 */
export function createEncryptionCodec(keyRing: KeyRing): PayloadCodec {
  const ring = resolveKeyRing(keyRing);
  const activeKey = ring.keys.get(ring.activeKeyId);
  if (!activeKey) throw new Error('unreachable: resolveKeyRing checks the active key');
  const activeKeyIdBytes = Buffer.from(ring.activeKeyId);

  return {
    // async so that a bad payload rejects the promise instead of throwing at the call site.
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => ({
        metadata: { [METADATA_ENCODING_KEY]: encryptedEncoding, [METADATA_KEY_ID_KEY]: activeKeyIdBytes },
        data: seal(activeKey, ProtoPayload.encode(payload).finish()),
      }));
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        // Payloads written before encryption was switched on must stay readable, so pass them through.
        if (!isEncrypted(payload)) return payload;
        const keyIdBytes = payload.metadata?.[METADATA_KEY_ID_KEY];
        if (!keyIdBytes) throw new Error(`encrypted payload has no "${METADATA_KEY_ID_KEY}" metadata`);
        const keyId = Buffer.from(keyIdBytes).toString('utf8');
        const key = ring.keys.get(keyId);
        if (!key) throw new UnknownEncryptionKeyError(keyId);
        return ProtoPayload.decode(open(key, payload.data ?? new Uint8Array(0)));
      });
    },
  };
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && encryptedEncoding.equals(Buffer.from(encoding));
}
