import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  FIRST_DEFAULT_CONCURRENCY,
  FORMER_DEFAULT_CONCURRENCY,
  FORMER_DEFAULT_PAGE_SIZE,
  describeProblems,
  parseBackfillInput,
  type BackfillInput,
  type BackfillRequest,
} from '../domain/backfill-input';
import { addDuplicates, addPage, initialState, progressOf, type BackfillProgress, type BackfillState, type PageReport } from '../domain/backfill-progress';
import { backfillFilter, reachOf } from '../domain/backfill-reach';
import type { ListFilter, ListPage } from '../domain/listing';
import type { HubSettings } from '../domain/hub';
import { backfillStore, createScope } from './backfill-activities';
import { runPage, type backfillPage } from './backfill-page';
import {
  BACKFILL_PRIORITY,
  backfillCancelSignal,
  backfillPageDoneSignal,
  backfillPauseSignal,
  backfillProgressQuery,
  backfillReachQuery,
  backfillResumeSignal,
  TASK_QUEUES,
  WORKFLOW_TYPES,
} from './messages';
import { decidePatchesAtStart, isPatched } from './patches';

/** Backfills started by workflow code older than this keep one page at a time by default. */
const PAGES_IN_FLIGHT_BY_DEFAULT = 'backfill-pages-in-flight-by-default';
const PAGE_IN_FLIGHT_BEFORE_START = 'backfill-page-in-flight-before-start';
const CREATES_FIRST = 'backfill-creates-before-matching';
const PAGES_OF_200 = 'backfill-pages-of-200';
const LISTS_AHEAD = 'backfill-lists-ahead';

/**
 * Loads the existing records of one system through the live sync logic. Each run lists ONE page (≤200 records, a
 * keyset on the id), hands it to its own page workflow (backfill-page.ts: batch reads, the same planPass, batch writes) and
 * continues as new with the cursor and the counters; up to `concurrency` pages are in flight, and the next one is
 * listed while they run. Pages report back by signal. A worker or server restart redoes at most the activity in flight
 * (every write is idempotent); started pages are never listed again. Signals pause, resume and cancel it; the
 * `progress` query reports counts, rate and ETA.
 */
export async function backfill(input: BackfillInput): Promise<BackfillProgress> {
  decidePatchesAtStart();
  // A query can ride in a run's first workflow task, which answers it before the settings' local activity resolves
  // (right after a continue-as-new or a worker restart): until the input is checked it is answered from the state the
  // run was continued with, so an operator never sees "no handler" for a running backfill.
  const carried = input.state ?? initialState(Date.now(), new Date(Date.now()).toISOString());
  setHandler(backfillProgressQuery, () => progressOf(input, carried, Date.now()));
  // A cancellation that comes now is taken at the first wait below, which completes with the counts so far.
  const settings = await CancellationScope.nonCancellable(() => backfillStore.hubSettings());
  const parsed = parseBackfillInput(input, settings.systems.map((system) => system.name));
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(`invalid backfill input: ${describeProblems(parsed.problems)}`, 'InvalidBackfillInput', parsed.problems);
  const request = parsed.value;
  // The window ends where the backfill starts: later changes reach the other side through live sync anyway.
  const state: BackfillState = request.state ?? initialState(Date.now(), request.modifiedBefore ?? new Date(Date.now()).toISOString());
  const failedPages: string[] = [];
  installHandlers(request, state, failedPages);

  try {
    const filter = backfillFilter(request, state);
    if (state.nextPage === 1 && state.total === null) {
      state.total = await createScope(settings, request.from, true).crm(request.from).backfillCount(request.object, filter);
      countRequest(state, request.from);
    }
    const { pageSize, window } = pagesOf(request);
    const canList = () => !state.paused && !state.cancelled && !state.listedAll && state.inFlight.length < window;
    // a page failed, a slot is free to list into, or nothing more will be listed and every page has reported
    const canGoOn = () => failedPages.length > 0 || canList() || ((state.listedAll || state.cancelled) && state.inFlight.length === 0);
    const list = async () => {
      await pace(request, state, window);
      return listNext(settings, request, state, filter, pageSize);
    };
    // With pages in flight, the next page is listed while they run and starts as soon as one of them reports: the
    // listing no longer stands between a page's end and the next page's start. Listed before a pause, it is dropped
    // and listed again after (its records would be as old as the pause).
    const ahead = window > 1 && isPatched(LISTS_AHEAD) && !state.paused && !state.cancelled && !state.listedAll ? await list() : null;
    await condition(() => canGoOn() || (ahead !== null && (state.paused || ahead.records.length === 0)));
    if (failedPages.length > 0) throw stopped(failedPages);
    if (ahead && (canList() || ahead.records.length === 0)) await startPage(settings, request, state, ahead, window, failedPages);
    else {
      await condition(canGoOn);
      if (failedPages.length > 0) throw stopped(failedPages);
      if (!canList()) return await finish(request, state, state.listedAll && !state.cancelled);
      await startPage(settings, request, state, await list(), window, failedPages);
    }

    // One page per run inline; with pages in flight, every free slot is filled before continuing as new (a cluster
    // holds each continue-as-new back until the previous run is a second old).
    while (window > 1 && canList() && failedPages.length === 0) await startPage(settings, request, state, await list(), window, failedPages);
    if (failedPages.length > 0) throw stopped(failedPages);
    await condition(allHandlersFinished);
  } catch (error) {
    // Cancelled from the Web UI or `temporal workflow cancel`: complete with the counts so far, like the signal does.
    if (!isCancellation(error)) throw error;
    state.cancelled = true;
    return CancellationScope.nonCancellable(() => finish(request, state));
  }
  return continueAsNew<typeof backfill>({ ...withoutState(request), state });
}

/** The page after the cursor; the cursor moves once the page is started (startPage). */
async function listNext(settings: HubSettings, request: BackfillRequest, state: BackfillState, filter: ListFilter, pageSize: number): Promise<ListPage> {
  const page = await createScope(settings, request.from, request.dryRun === true).crm(request.from).backfillList(request.object, { ...filter, cursor: state.cursor, limit: pageSize });
  countRequest(state, request.from);
  return page;
}

/** Hands a listed page to the batch pass: inline, or as a page workflow in flight. */
async function startPage(settings: HubSettings, request: BackfillRequest, state: BackfillState, page: ListPage, window: number, failedPages: string[]): Promise<void> {
  const number = state.nextPage;
  // A dry run must match to say what it would do; after a page found records already there, matching first is cheaper.
  const createFirst = request.dryRun !== true && state.matchFirst !== true && isPatched(CREATES_FIRST);
  const pageInput = { page: number, from: request.from, object: request.object, dryRun: request.dryRun === true, createFirst, records: page.records };
  if (page.records.length > 0 && window === 1) {
    // One page at a time: the batch pass runs in this run, the least load on Temporal (a dev server's SQLite).
    state.inFlight.push(number);
    state.nextPage += 1;
    recordPage(state, await runPage(settings, pageInput), failedPages);
  } else if (page.records.length > 0) {
    // In flight before it starts: a page done at once (every record in sync) can report back in the very task that
    // says it started, and a signal is handled before the start resolves; counted as a duplicate there, the page then
    // stayed in flight for ever and the backfill never finished (seen twice in CI, a second backfill of 300 records).
    const inFlightFirst = isPatched(PAGE_IN_FLIGHT_BEFORE_START);
    if (inFlightFirst) state.inFlight.push(number);
    await startChild<typeof backfillPage>(WORKFLOW_TYPES.backfillPage, {
      workflowId: `${workflowInfo().workflowId}/page-${number}`,
      taskQueue: TASK_QUEUES.sync,
      args: [{ backfillId: workflowInfo().workflowId, ...pageInput, settings }],
      // The page outlives this run (which continues as new at once); it reports back by signal.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      priority: { priorityKey: BACKFILL_PRIORITY },
    });
    if (!inFlightFirst) state.inFlight.push(number);
    state.nextPage += 1;
  }
  state.cursor = page.nextCursor;
  state.listedAll = page.nextCursor === undefined;
}

/** Records per page and pages in flight: as asked, else the defaults of the code this run started under. */
function pagesOf(request: BackfillRequest): { pageSize: number; window: number } {
  const [pageSize, window] = isPatched(PAGES_OF_200)
    ? [DEFAULT_PAGE_SIZE, DEFAULT_CONCURRENCY]
    : [FORMER_DEFAULT_PAGE_SIZE, isPatched(PAGES_IN_FLIGHT_BY_DEFAULT) ? FORMER_DEFAULT_CONCURRENCY : FIRST_DEFAULT_CONCURRENCY];
  return { pageSize: request.pageSize ?? pageSize, window: request.concurrency ?? window };
}

function installHandlers(request: BackfillRequest, state: BackfillState, failedPages: string[]): void {
  setHandler(backfillPauseSignal, () => {
    if (state.paused || state.cancelled) return;
    state.paused = true;
    state.pausedAt = Date.now();
  });
  setHandler(backfillResumeSignal, () => resume(state));
  setHandler(backfillCancelSignal, () => {
    resume(state);
    state.cancelled = true;
  });
  setHandler(backfillPageDoneSignal, (report: PageReport) => recordPage(state, report, failedPages));
  setHandler(backfillProgressQuery, () => progressOf(request, state, Date.now()));
  setHandler(backfillReachQuery, () => reachOf(request, state));
}

function recordPage(state: BackfillState, report: PageReport, failedPages: string[]): void {
  // A report for a page no longer in flight is a duplicate delivery: counted once.
  const at = state.inFlight.indexOf(report.page);
  if (at < 0) return;
  state.inFlight.splice(at, 1);
  if (report.error !== undefined) failedPages.push(`page ${report.page}: ${report.error}`);
  state.counters = addPage(state.counters, report);
  if ((report.existedAtCreate ?? 0) > 0) state.matchFirst = true;
  state.duplicates = addDuplicates(state.duplicates, report.duplicates);
}

function countRequest(state: BackfillState, system: string): void {
  state.counters.requests[system] = (state.counters.requests[system] ?? 0) + 1;
}

function resume(state: BackfillState): void {
  if (!state.paused) return;
  state.paused = false;
  if (state.pausedAt !== null) state.pausedMs += Date.now() - state.pausedAt;
  state.pausedAt = null;
}

/**
 * --max-rps: the next page is listed only once the requests made so far (plus an estimate for the pages in flight)
 * fit in `maxRps` per second of running time, counted on the busiest system.
 */
async function pace(request: BackfillRequest, state: BackfillState, window: number): Promise<void> {
  if (request.maxRps === undefined) return;
  const { counters } = state;
  const busiest = Math.max(0, ...Object.values(counters.requests));
  const perPage = counters.pagesDone > 0 ? busiest / counters.pagesDone : 8;
  const budgetMs = ((busiest + Math.min(window, state.inFlight.length + 1) * perPage) / request.maxRps) * 1000;
  const wait = Math.ceil(budgetMs - (Date.now() - state.startedAt - state.pausedMs));
  if (wait > 0) await sleep(wait);
}

async function finish(request: BackfillRequest, state: BackfillState, done = false): Promise<BackfillProgress> {
  const progress = progressOf(request, state, Date.now(), done);
  log.info('backfill finished', { from: request.from, object: request.object, state: progress.state, seen: progress.seen, pages: progress.pagesDone });
  await condition(allHandlersFinished);
  return progress;
}

function stopped(failedPages: readonly string[]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`backfill stopped: ${failedPages.join('; ')}`, 'BackfillPageFailed');
}

function withoutState(request: BackfillRequest): BackfillInput {
  const { state: _state, ...rest } = request;
  return rest;
}
