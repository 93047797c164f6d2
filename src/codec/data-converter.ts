import type { DataConverter } from '@temporalio/common';
import { createEncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

/**
 * The module whose `failureConverter` encodes failure messages and stack traces. Given by path because workflow code
 * runs in the worker's bundle: a prebuilt bundle (bundleWorkflowCode) must be built with this same path.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The converter to pass to BOTH `new Client({ dataConverter })` / `Connection`-based clients and
 * `Worker.create({ dataConverter })`: a side without the codec would store plaintext or fail to read ciphertext.
 */
export function createDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [createEncryptionCodec(keyRing)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
