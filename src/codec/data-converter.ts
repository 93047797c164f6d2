import type { DataConverter } from '@temporalio/common';
import { createEncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

/**
 * The converter modules given by path: `failureConverter` (./failure-converter) encodes failure messages and stack
 * traces. By path because workflow code runs in the worker's bundle: a prebuilt bundle (bundleWorkflowCode) must be
 * built with these same paths, so both the converter and the bundler take them from here.
 */
export const CONVERTER_PATHS = { failureConverterPath: require.resolve('./failure-converter') } as const;

/**
 * The converter to pass to BOTH `new Client({ dataConverter })` / `Connection`-based clients and
 * `Worker.create({ dataConverter })`: a side without the codec would store plaintext or fail to read ciphertext.
 */
export function createDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [createEncryptionCodec(keyRing)], ...CONVERTER_PATHS };
}
