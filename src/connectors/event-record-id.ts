import { z } from 'zod';

/**
 * A record id as an event names it. Each becomes part of a workflow id (`system:object:id`), which Temporal refuses
 * past 1,000 bytes: a longer id would fail every delivery with a 503 and be delivered again for ever. No system's
 * ids come near this bound (HubSpot's and the shop's are integers, Zoho's 19 digits).
 */
export const MAX_RECORD_ID_LENGTH = 255;

export const eventRecordId = z.union([z.number(), z.string().min(1).max(MAX_RECORD_ID_LENGTH)]).transform(String);
