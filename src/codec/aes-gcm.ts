import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * Layout: iv (12) ‖ ciphertext ‖ tag (16), the same as Temporal's encryption samples (and Go's gcm.Seal with the
 * nonce prepended), so another codec server holding the same keys can read our payloads.
 */
export function seal(key: Buffer, plaintext: Uint8Array): Buffer {
  // A random 96-bit IV per message: GCM must never reuse an IV under one key.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Opens what seal() produced; throws DecryptionError when the data was altered or the key is wrong. */
export function open(key: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('encrypted payload is too short');
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const iv = data.subarray(0, IV_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('encrypted payload failed authentication (tampered, truncated or wrong key)');
  }
}
