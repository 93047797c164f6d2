import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { createDataConverter } from '../../../src/codec/data-converter';
import {
  createEncryptionCodec,
  ENCODING_ENCRYPTED,
  METADATA_KEY_ID_KEY,
  UnknownEncryptionKeyError,
} from '../../../src/codec/encryption-codec';
import { KeyRingError, parseKeyRing, type KeyRing } from '../../../src/codec/key-ring';

const newKey = (): string => randomBytes(32).toString('base64');
const k1 = newKey();
const k2 = newKey();
const contact = { email: 'ada.lovelace@example.org', firstname: 'Ada', phone: '+44 20 7946 0958' };

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? new Uint8Array(0)).toString('utf8');
}

async function encodeOne(ring: KeyRing, value: unknown): Promise<Payload> {
  const [encoded] = await createEncryptionCodec(ring).encode([defaultPayloadConverter.toPayload(value)]);
  if (!encoded) throw new Error('no payload');
  return encoded;
}

describe('createEncryptionCodec', () => {
  const ring: KeyRing = { activeKeyId: 'k1', keys: { k1 } };

  it('round-trips payloads, metadata included', async () => {
    const codec = createEncryptionCodec(ring);
    const original = [defaultPayloadConverter.toPayload(contact), defaultPayloadConverter.toPayload(null)];
    const decoded = await codec.decode(await codec.encode(original));
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([contact, null]);
    expect(text(decoded[0]?.metadata?.encoding)).toBe('json/plain');
  });

  it('marks payloads as encrypted with the active key id and hides every field value', async () => {
    const encoded = await encodeOne(ring, contact);
    expect(text(encoded.metadata?.encoding)).toBe(ENCODING_ENCRYPTED);
    expect(text(encoded.metadata?.[METADATA_KEY_ID_KEY])).toBe('k1');
    expect(Object.keys(encoded.metadata ?? {}).sort()).toEqual(['encoding', METADATA_KEY_ID_KEY]);
    const raw = Buffer.from(encoded.data ?? new Uint8Array(0));
    for (const value of [...Object.values(contact), 'json/plain', 'ada']) {
      expect(raw.includes(Buffer.from(value))).toBe(false);
    }
  });

  it('uses a fresh IV per payload', async () => {
    const codec = createEncryptionCodec(ring);
    const same = defaultPayloadConverter.toPayload(contact);
    const [a, b] = await codec.encode([same, same]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('still decodes payloads of a retired key after rotation, and encrypts new ones with the new key', async () => {
    const old = await encodeOne(ring, contact);
    const rotated = createEncryptionCodec(parseKeyRing(`k2:${k2},k1:${k1}`));
    const [decodedOld] = await rotated.decode([old]);
    expect(defaultPayloadConverter.fromPayload(decodedOld ?? {})).toEqual(contact);

    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(contact)]);
    expect(text(fresh?.metadata?.[METADATA_KEY_ID_KEY])).toBe('k2');
    // A ring that dropped k2 cannot read what k2 wrote.
    await expect(createEncryptionCodec(ring).decode([fresh ?? {}])).rejects.toThrow(UnknownEncryptionKeyError);
  });

  it('rejects tampered ciphertext', async () => {
    const encoded = await encodeOne(ring, contact);
    const data = Buffer.from(encoded.data ?? new Uint8Array(0));
    data[20] = (data[20] ?? 0) ^ 0x01;
    await expect(createEncryptionCodec(ring).decode([{ ...encoded, data }])).rejects.toThrow(/failed authentication/);
  });

  it('rejects a payload whose key id was swapped for another key in the ring', async () => {
    const encoded = await encodeOne(ring, contact);
    const both = createEncryptionCodec({ activeKeyId: 'k1', keys: { k1, k2 } });
    const swapped = { ...encoded, metadata: { ...encoded.metadata, [METADATA_KEY_ID_KEY]: Buffer.from('k2') } };
    await expect(both.decode([swapped])).rejects.toThrow(/failed authentication/);
  });

  it('names an unknown key id in its error', async () => {
    const encoded = await encodeOne({ activeKeyId: 'k9', keys: { k9: newKey() } }, contact);
    await expect(createEncryptionCodec(ring).decode([encoded])).rejects.toThrow(/key id "k9".*not in the key ring/);
  });

  it('passes payloads that were never encrypted through decode unchanged', async () => {
    const plain = defaultPayloadConverter.toPayload(contact);
    const [decoded] = await createEncryptionCodec(ring).decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('is what createDataConverter installs', async () => {
    const converter = createDataConverter(ring);
    expect(converter.payloadCodecs).toHaveLength(1);
    const [codec] = converter.payloadCodecs ?? [];
    const [encoded] = (await codec?.encode([defaultPayloadConverter.toPayload(contact)])) ?? [];
    expect(text(encoded?.metadata?.encoding)).toBe(ENCODING_ENCRYPTED);
  });
});

describe('parseKeyRing', () => {
  it('makes the first entry active and keeps the rest', () => {
    expect(parseKeyRing(` k2:${k2} , k1:${k1} `)).toEqual({ activeKeyId: 'k2', keys: { k2, k1 } });
  });

  it.each([
    ['an empty ring', '', /empty/],
    ['an entry without id', 'k1', /entry 1 is not/],
    ['a repeated id', `k1:${k1},k1:${k2}`, /twice/],
    ['a short key', 'k1:c2hvcnQ=', /exactly 32 bytes \(got 5\)/],
    ['a key that is not base64', `k1:${k1.slice(0, -4)}!!!!`, /exactly 32 bytes/],
    ['an id with a space', `bad id:${k1}`, /key id "bad id"/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseKeyRing(text)).toThrow(KeyRingError);
    expect(() => parseKeyRing(text)).toThrow(message);
  });

  it('never puts key material into its errors', () => {
    const secret = randomBytes(31).toString('base64');
    expect(() => parseKeyRing(`k1:${secret}`)).toThrow();
    expect(() => parseKeyRing(`k1:${secret}`)).not.toThrow(secret);
  });

  it('refuses a ring whose active key is missing', () => {
    expect(() => createEncryptionCodec({ activeKeyId: 'k3', keys: { k1 } })).toThrow(/active key id "k3"/);
  });
});
