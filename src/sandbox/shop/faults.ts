import { z } from 'zod';
import { FaultDials, faultMiddleware } from '../common/faults';
import { sendError } from './errors';

const rate = z.number().min(0).max(1);

/** Body of POST /_sim/faults; any subset may be sent and is merged into the current settings. */
export const ShopFaultSettings = z
  .object({
    errorRate: rate.describe('fraction of read-API requests answered with a 5xx'),
    latencyMs: z.number().int().min(0).max(120_000).describe('added delay before every read-API request'),
    timeoutRate: rate.describe('fraction of read-API requests never answered'),
    outage: z.boolean().describe('answer every read-API request with 503'),
    eventDuplicateRate: rate.describe('fraction of events published twice (same CloudEvents id)'),
    eventDropRate: rate.describe('fraction of events never published (like a webhook a CRM drops)'),
    eventDelayMs: z.number().int().min(0).max(600_000).describe('every event is published this much later'),
    eventReorder: z.boolean().describe('events collected over reorderWindowMs are published newest first'),
    replyDropRate: rate.describe('fraction of command replies never sent (the command itself is applied)'),
    loadInboxPaused: z.boolean().describe('take no command from the load inbox (they wait there; live commands go on)'),
  })
  .strict();
export type ShopFaultSettings = z.infer<typeof ShopFaultSettings>;

const NO_FAULTS: ShopFaultSettings = {
  errorRate: 0,
  latencyMs: 0,
  timeoutRate: 0,
  outage: false,
  eventDuplicateRate: 0,
  eventDropRate: 0,
  eventDelayMs: 0,
  eventReorder: false,
  replyDropRate: 0,
  loadInboxPaused: false,
};

/** The shop's dials: read faults as the CRM simulators have them, plus faults of its events and replies. */
export class ShopFaults extends FaultDials<typeof ShopFaultSettings> {
  constructor(random: () => number) {
    super(ShopFaultSettings, NO_FAULTS, random);
  }
}

/** Read-API faults in the order an outage is felt: unreachable, slow, hung, failing (the shop never throttles). */
export function readFaults(faults: ShopFaults) {
  return faultMiddleware(faults, {
    isExempt: () => false,
    respond: (kind, res, status) =>
      kind === 'outage' ? sendError(res, 503, 'unavailable', 'The shop is down for maintenance') : sendError(res, status, status === 503 ? 'unavailable' : 'internal', 'Injected server error'),
  });
}
