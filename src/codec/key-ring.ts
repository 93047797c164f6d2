/**
 * Encryption keys for the payload codec. Old keys stay in the ring after a rotation so that payloads already in
 * workflow histories (which Temporal never rewrites) can still be decrypted; only `activeKeyId` encrypts.
 */
export interface KeyRing {
  activeKeyId: string;
  /** key id → base64 of exactly 32 random bytes (AES-256). */
  keys: Record<string, string>;
}

/** A key ring with its keys decoded, checked once so that encode/decode never meet a malformed key. */
export interface ResolvedKeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export const KEY_BYTES = 32;

// Key ids travel in payload metadata and in the key-ring text format, so keep them free of separators.
const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/**
 * Parses the key-ring text format `id:BASE64[,id:BASE64...]`, e.g. `k2:3q2+7w...=,k1:q83v...=`.
 * The FIRST entry is the active (encrypting) key; the others are kept for decryption only. To rotate, put a new
 * key in front and keep the old ones behind it. Whitespace around entries is ignored.
 * Generate a key with `openssl rand -base64 32`.
 */
export function parseKeyRing(text: string): KeyRing {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) throw new KeyRingError('key ring is empty: expected "id:BASE64[,id:BASE64...]"');
  const keys: Record<string, string> = {};
  let activeKeyId: string | undefined;
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    // Never echo the entry itself: it would put key material into logs.
    if (colon <= 0) throw new KeyRingError(`key ring entry ${index + 1} is not "id:BASE64"`);
    const id = entry.slice(0, colon).trim();
    if (Object.hasOwn(keys, id)) throw new KeyRingError(`key ring names key id "${id}" twice`);
    keys[id] = entry.slice(colon + 1).trim();
    activeKeyId ??= id;
  });
  const ring = { activeKeyId: activeKeyId ?? '', keys };
  resolveKeyRing(ring);
  return ring;
}

/** Validates a ring and decodes its keys; throws KeyRingError naming the offending key id (never the key). */
export function resolveKeyRing(ring: KeyRing): ResolvedKeyRing {
  const keys = new Map<string, Buffer>();
  for (const [id, encoded] of Object.entries(ring.keys)) {
    if (!KEY_ID_PATTERN.test(id)) throw new KeyRingError(`key id "${id}" must match ${String(KEY_ID_PATTERN)}`);
    const key = BASE64_PATTERN.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) {
      throw new KeyRingError(`key "${id}" must be base64 of exactly ${KEY_BYTES} bytes (got ${key.length})`);
    }
    keys.set(id, key);
  }
  if (!keys.has(ring.activeKeyId)) throw new KeyRingError(`active key id "${ring.activeKeyId}" is not in the key ring`);
  return { activeKeyId: ring.activeKeyId, keys };
}
