import type { DataConverter } from '@temporalio/common';
import { createEncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

/**
 * The converter to pass to BOTH `new Client({ dataConverter })` / `Connection`-based clients and
 * `Worker.create({ dataConverter })`: a side without the codec would store plaintext or fail to read ciphertext.
 *
 * Failure messages and stack traces stay plaintext: encrypting them needs a failure converter with
 * `encodeCommonAttributes: true` given by path (`failureConverterPath`) so that workflow code uses it too.
 */
export function createDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [createEncryptionCodec(keyRing)] };
}
