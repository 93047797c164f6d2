import { z } from 'zod';
import { CRM_OBJECTS } from '../domain/records';

/**
 * Rows are a boundary like any other: pg returns bigint as string, PGlite as number, and both return Date for
 * timestamptz. These schemas normalise both drivers to the store's plain-JSON types.
 */
export const IsoTimestamp = z.union([z.date(), z.string()]).transform((value) => new Date(value).toISOString());

export const FieldValuesJson = z.record(z.string(), z.string().nullable());

/** Systems are named by the registry, not by the store: any non-empty name. */
export const SystemColumn = z.string().min(1);
export const CrmObjectColumn = z.enum(CRM_OBJECTS);

/**
 * Timestamps are kept to the millisecond so that a value read back (a JS ISO string) compares equal to the
 * stored one; otherwise `failuresSince(row.recoveredAt)` would return that same row again.
 */
export const NOW_MS = "date_trunc('milliseconds', now())";
