import { z } from 'zod';
import { CRM_OBJECTS, type CrmObject, type SystemName } from './records';

/**
 * What happened to one listed record; every record ends in exactly one, so the counters add up to `seen`.
 * The would* verdicts are a dry run's.
 */
export const VERDICTS = ['created', 'linked', 'updated', 'skipped', 'failed', 'handedToLive', 'wouldCreate', 'wouldLink', 'wouldUpdate'] as const;
export type Verdict = (typeof VERDICTS)[number];

const count = z.number().int().min(0);

export const BackfillCounters = z.object({
  pagesDone: count,
  seen: count,
  ...(Object.fromEntries(VERDICTS.map((verdict) => [verdict, count])) as Record<Verdict, typeof count>),
  /** records whose counterpart looked like someone else's (flagged; in a real run they are handed to live sync) */
  likelyDuplicates: count,
  /**
   * contacts' companies linked or created on the way (not counted in `seen`), per page: one that contacts of several
   * pages in flight at once point at counts for each of those pages
   */
  companiesSynced: count,
  /** system requests (activities) this backfill made, per system */
  requests: z.record(z.string(), count),
});
export type BackfillCounters = z.infer<typeof BackfillCounters>;

export const DuplicateSample = z.object({ object: z.enum(CRM_OBJECTS), sourceId: z.string(), counterpartId: z.string().nullable(), reason: z.string() });
export type DuplicateSample = z.infer<typeof DuplicateSample>;
/** Duplicates listed by id in the progress (the rest are only counted). */
export const MAX_DUPLICATE_SAMPLES = 20;

/** Continuation state: plain JSON, carried through continue-as-new once per page. */
export const BackfillState = z.object({
  /** epoch ms (workflow time) when the backfill started */
  startedAt: z.number(),
  /** the window's upper bound actually used: modifiedBefore, else the start time */
  before: z.string(),
  /** where the next page starts; absent before the first page */
  cursor: z.string().optional(),
  /** the source has no page after `cursor` */
  listedAll: z.boolean(),
  /** number of the next page to list (from 1) */
  nextPage: z.number().int().min(1),
  /** pages listed and handed to their page workflow, not yet reported done */
  inFlight: z.array(z.number().int().min(1)),
  /** records the source holds for the window, counted at the start (an upper bound for Zoho windows); null: unknown */
  total: z.number().int().min(0).nullable(),
  paused: z.boolean(),
  cancelled: z.boolean(),
  /** workflow time the current pause began */
  pausedAt: z.number().nullable(),
  /** time spent paused before the current pause, excluded from the rate */
  pausedMs: z.number().min(0),
  counters: BackfillCounters,
  duplicates: z.array(DuplicateSample).max(MAX_DUPLICATE_SAMPLES),
  /** a page's creates found records already in the target: the pages listed after it match before they create */
  matchFirst: z.boolean().optional(),
});
export type BackfillState = z.infer<typeof BackfillState>;

export type BackfillRunState = 'running' | 'paused' | 'cancelled' | 'done';

export interface BackfillProgress extends Omit<BackfillCounters, 'requests'> {
  from: SystemName;
  object: CrmObject;
  dryRun: boolean;
  state: BackfillRunState;
  total: number | null;
  /** pages handed to page workflows and not reported yet */
  pagesInFlight: number;
  /** records seen per second of running (paused time excluded), from workflow time */
  ratePerSecond: number;
  etaSeconds: number | null;
  elapsedSeconds: number;
  requests: Record<SystemName, number>;
  duplicates: DuplicateSample[];
}

export function emptyCounters(): BackfillCounters {
  const verdicts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  return { pagesDone: 0, seen: 0, ...verdicts, likelyDuplicates: 0, companiesSynced: 0, requests: {} };
}

export function initialState(startedAt: number, before: string): BackfillState {
  return {
    startedAt,
    before,
    listedAll: false,
    nextPage: 1,
    inFlight: [],
    total: null,
    paused: false,
    cancelled: false,
    pausedAt: null,
    pausedMs: 0,
    counters: emptyCounters(),
    duplicates: [],
  };
}

/** What a page workflow reports to its backfill when its page is done. */
export interface PageReport {
  page: number;
  verdicts: Partial<Record<Verdict, number>>;
  duplicates: DuplicateSample[];
  companiesSynced: number;
  requests: Record<SystemName, number>;
  /** records whose create-first write found them already in the target (absent in reports of older pages) */
  existedAtCreate?: number;
  /** set when the page could not be processed (the backfill then fails, naming the page) */
  error?: string;
}

export function tally(verdicts: Verdict[]): Partial<Record<Verdict, number>> {
  const out: Partial<Record<Verdict, number>> = {};
  for (const verdict of verdicts) out[verdict] = (out[verdict] ?? 0) + 1;
  return out;
}

/** Adds one page's report (or the listing's own requests) to the running totals. */
export function addPage(counters: BackfillCounters, page: Omit<PageReport, 'page' | 'error'>): BackfillCounters {
  const next: BackfillCounters = { ...counters, requests: { ...counters.requests } };
  next.pagesDone += 1;
  for (const verdict of VERDICTS) {
    const n = page.verdicts[verdict] ?? 0;
    next[verdict] += n;
    next.seen += n;
  }
  next.likelyDuplicates += page.duplicates.length;
  next.companiesSynced += page.companiesSynced;
  for (const [system, n] of Object.entries(page.requests)) next.requests[system] = (next.requests[system] ?? 0) + n;
  return next;
}

/** Keeps the first samples, each record once (a company shared by several pages comes up on each). */
export function addDuplicates(samples: DuplicateSample[], more: DuplicateSample[]): DuplicateSample[] {
  const out = [...samples];
  for (const sample of more) {
    if (out.length >= MAX_DUPLICATE_SAMPLES) break;
    if (!out.some((s) => s.object === sample.object && s.sourceId === sample.sourceId)) out.push(sample);
  }
  return out;
}

/** Milliseconds spent running (not paused) by `now`. */
export function activeMs(state: BackfillState, now: number): number {
  const pausedNow = state.pausedAt === null ? 0 : now - state.pausedAt;
  return Math.max(0, now - state.startedAt - state.pausedMs - pausedNow);
}

export function progressOf(
  request: { from: SystemName; object: CrmObject; dryRun?: boolean },
  state: BackfillState,
  now: number,
  done = false,
): BackfillProgress {
  const seconds = activeMs(state, now) / 1000;
  const { counters } = state;
  const rate = seconds > 0 ? counters.seen / seconds : 0;
  const remaining = state.total === null ? null : Math.max(0, state.total - counters.seen);
  const runState: BackfillRunState = state.cancelled ? 'cancelled' : done ? 'done' : state.paused ? 'paused' : 'running';
  return {
    from: request.from,
    object: request.object,
    dryRun: request.dryRun === true,
    state: runState,
    ...counters,
    requests: { ...counters.requests },
    total: state.total,
    pagesInFlight: state.inFlight.length,
    ratePerSecond: Math.round(rate * 10) / 10,
    etaSeconds: runState === 'done' || runState === 'cancelled' ? 0 : remaining !== null && rate > 0 ? Math.ceil(remaining / rate) : null,
    elapsedSeconds: Math.round(seconds),
    duplicates: [...state.duplicates],
  };
}
