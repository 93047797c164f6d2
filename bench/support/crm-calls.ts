import { z } from 'zod';

/**
 * CRM API calls counted by the simulators (GET /_sim/stats: real API routes only, admin routes never count), split
 * into reads and writes. A read is any GET and the POSTs that only read (search, batch/read, COQL); token refreshes
 * are counted apart; everything else is a write.
 */
export interface CallCounts {
  reads: number;
  writes: number;
  tokens: number;
  total: number;
  rateLimited: number;
  /** records whose update was refused as modified after its If-Unmodified-Since (Zoho) */
  refused: number;
  byRoute: Record<string, number>;
}

const SimStatsSchema = z.looseObject({
  requests: z.object({ total: z.number(), byRoute: z.record(z.string(), z.number()) }),
  status: z.looseObject({ '429': z.number() }),
  conditionalRefusals: z.number().default(0),
});

const READ_POSTS = [/\/search$/, /\/batch\/read$/, /\/coql$/];

export function classifyRoute(route: string): 'read' | 'write' | 'token' {
  const [method = '', path = ''] = route.split(' ');
  if (path.includes('/oauth/')) return 'token';
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'POST' && READ_POSTS.some((pattern) => pattern.test(path))) return 'read';
  return 'write';
}

export async function fetchCallCounts(simUrl: string): Promise<CallCounts> {
  const response = await fetch(`${simUrl}/_sim/stats`);
  if (!response.ok) throw new Error(`GET ${simUrl}/_sim/stats → ${response.status}`);
  const stats = SimStatsSchema.parse(await response.json());
  const counts: CallCounts = { reads: 0, writes: 0, tokens: 0, total: stats.requests.total, rateLimited: stats.status['429'], refused: stats.conditionalRefusals, byRoute: stats.requests.byRoute };
  for (const [route, count] of Object.entries(stats.requests.byRoute)) {
    const kind = classifyRoute(route);
    if (kind === 'read') counts.reads += count;
    else if (kind === 'write') counts.writes += count;
    else counts.tokens += count;
  }
  return counts;
}

/** What happened between two snapshots of the same simulator's counters. */
export function callDelta(before: CallCounts, after: CallCounts): CallCounts {
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.byRoute)) {
    const delta = count - (before.byRoute[route] ?? 0);
    if (delta !== 0) byRoute[route] = delta;
  }
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    tokens: after.tokens - before.tokens,
    total: after.total - before.total,
    rateLimited: after.rateLimited - before.rateLimited,
    refused: after.refused - before.refused,
    byRoute,
  };
}
