import { z } from 'zod';
import { BackfillState } from './backfill-progress';
import { CRM_OBJECTS } from './records';

/**
 * The backfill workflow's input: plain JSON, so the Temporal CLI can start it (`--input '{"from":"<system>",...}'`).
 * Pure (no Node built-ins): imported by the workflow, the CLI and tests alike.
 */
const instant = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 date or date-time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z');
/** Pages in flight at most: beyond this the CRMs' rate limits, not latency, bound the rate anyway. */
const MAX_CONCURRENCY = 16;
/** HubSpot's search returns at most 200 records a call, and a Zoho query of up to 200 rows costs one credit. */
const MAX_PAGE_SIZE = 200;
/**
 * Two pages of 200 in flight. A page's cost in Temporal tasks, local activities and store statements hardly depends on
 * its size, and the work in flight is what slows live passes beside a backfill: against four pages of 100, two of 200
 * load 20,000 contacts into HubSpot about a fifth faster (bench backfill, 2 cores) with the same live latency beside
 * them; three or four pages of 200 are faster still alone but slow live passes (docs/ARCHITECTURE.md, Backfill).
 */
export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_CONCURRENCY = 2;
/** What backfills started by workflow code older than the 'backfill-pages-of-200' patch keep. */
export const FORMER_DEFAULT_PAGE_SIZE = 100;
export const FORMER_DEFAULT_CONCURRENCY = 4;
/** What backfills started by workflow code older than the 'backfill-pages-in-flight-by-default' patch keep. */
export const FIRST_DEFAULT_CONCURRENCY = 1;
const recordId = z.string().regex(/^\d{1,40}$/, 'expected a numeric record id');

export const BackfillOptions = z
  .strictObject({
    from: z.string().min(1).describe('the system whose records are loaded (a registered system name)'),
    object: z.enum(CRM_OBJECTS).describe('which records'),
    modifiedAfter: instant.optional().describe('only records modified at or after this time'),
    modifiedBefore: instant.optional().describe('only records modified before this time (default: when the backfill starts)'),
    createdAfter: instant.optional().describe('only records created at or after this time'),
    createdBefore: instant.optional().describe('only records created before this time'),
    idFrom: recordId.optional().describe('only records with an id at or above this one'),
    idTo: recordId.optional().describe('only records with an id at or below this one'),
    dryRun: z.boolean().optional().describe('read, match and plan; write nothing'),
    maxRps: z.number().positive().max(10_000).optional().describe('at most this many CRM requests per second (per CRM) for this backfill'),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`records per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}; writes go out 100 per call)`),
    concurrency: z.number().int().min(1).max(MAX_CONCURRENCY).optional().describe(`pages in flight at once (default ${DEFAULT_CONCURRENCY}; 1 lists and writes each page in the backfill run itself, the least load on Temporal)`),
    /** continuation state carried through continue-as-new; never set by hand */
    state: BackfillState.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.modifiedAfter && input.modifiedBefore && Date.parse(input.modifiedAfter) >= Date.parse(input.modifiedBefore)) {
      ctx.addIssue({ code: 'custom', path: ['modifiedBefore'], message: 'must be later than modifiedAfter' });
    }
    if (input.createdAfter && input.createdBefore && Date.parse(input.createdAfter) >= Date.parse(input.createdBefore)) {
      ctx.addIssue({ code: 'custom', path: ['createdBefore'], message: 'must be later than createdAfter' });
    }
    if (input.idFrom && input.idTo && compareNumericIds(input.idFrom, input.idTo) > 0) {
      ctx.addIssue({ code: 'custom', path: ['idTo'], message: 'must not be below idFrom' });
    }
  });

/** What a caller passes (the JSON the CLI, the Temporal CLI or a benchmark sends). */
export type BackfillInput = z.input<typeof BackfillOptions>;
export type BackfillRequest = z.output<typeof BackfillOptions>;

export interface InputProblem {
  /** the input field, e.g. "modifiedAfter" ("input" for the whole value, unknown keys by name) */
  field: string;
  message: string;
}

export type ParsedBackfillInput = { ok: true; value: BackfillRequest } | { ok: false; problems: InputProblem[] };

/** `systems`: the registered system names `from` must be one of. */
export function parseBackfillInput(raw: unknown, systems: readonly string[]): ParsedBackfillInput {
  const parsed = BackfillOptions.safeParse(raw);
  const problems: InputProblem[] = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue): InputProblem[] => {
        if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, message: 'is not a backfill option' }));
        const field = issue.path.map(String).join('.') || 'input';
        return [{ field, message: issue.message }];
      });
  const from = (raw as { from?: unknown } | null)?.from;
  if (typeof from === 'string' && from !== '' && !systems.includes(from)) {
    problems.unshift({ field: 'from', message: `"${from}" is not a registered system; expected one of ${systems.map((s) => `"${s}"`).join('|')}` });
  }
  if (parsed.success && problems.length === 0) return { ok: true, value: parsed.data };
  return { ok: false, problems };
}

/** "from: expected one of …; pageSize: …": every problem, each naming its field. */
export function describeProblems(problems: InputProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

/** Numeric id strings (too long for Number) in numeric order. */
export function compareNumericIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
}

/** A stable, readable workflow id: backfill:<system>:contact:20260131T120000Z. */
export function backfillWorkflowId(input: Pick<BackfillRequest, 'from' | 'object'>, at: Date): string {
  return `backfill:${input.from}:${input.object}:${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`;
}
