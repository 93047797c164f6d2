import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath), in the worker's workflow bundle as well as by every client and
 * activity worker: failure messages and stack traces can carry record values (a CRM's "INVALID_EMAIL: x@y.c"), so
 * they are moved into `encodedAttributes`, a payload the encryption codec seals like any other. History shows
 * "Encoded failure"; a client or Web UI with the codec sees the real message.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
