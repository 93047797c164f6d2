import { z } from 'zod';
import { boundInstantMs } from '../domain/listing';
import { PermanentCrmError } from './errors';

/**
 * What both connectors' keyset paging shares: an opaque cursor holding the last id handed out (the next page starts
 * after it), and the modification window's bounds, given as ISO timestamps or epoch-ms strings.
 */
const Cursor = z.object({ i: z.string().regex(/^\d+$/) });

export const encodeCursor = (lastId: string): string => Buffer.from(JSON.stringify({ i: lastId })).toString('base64url');

export function decodeCursor(raw: string | undefined, crm: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))).i;
  } catch {
    throw new PermanentCrmError(`${crm} list cursor is not one this connector issued`);
  }
}

export function boundMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = boundInstantMs(value);
  if (Number.isNaN(ms)) throw new PermanentCrmError(`invalid list window bound: ${value}`);
  return ms;
}
