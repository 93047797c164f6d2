import { z } from 'zod';
import type { SimContext } from './context';
import { HubspotError, validation } from './errors';
import type { ObjectType } from './object-types';
import { render } from './read-params';
import type { SimplePublicObject } from './serialize';
import type { StoredRecord } from './store-types';

/** Batch inputs name records by id as a string or a number. */
export const BatchId = z.union([z.string(), z.number()]).transform(String);

export interface StandardError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: unknown[];
  links: Record<string, string>;
  id?: string;
}

export function standardError(error: HubspotError, id?: string): StandardError {
  return {
    status: 'error',
    category: error.category,
    message: error.message,
    context: error.extra.context ?? {},
    errors: [],
    links: {},
    ...(id === undefined ? {} : { id }),
  };
}

export function batchInputs<S extends z.ZodType>(ctx: SimContext, item: S) {
  return z.object({ inputs: z.array(item).max(ctx.options.batchMaxInputs, `The maximum number of inputs supported in a batch request is ${ctx.options.batchMaxInputs}.`) });
}

/** Batch response envelope: 200/201 when clean, 207 with numErrors/errors when some inputs failed. */
export function batchResponse(okStatus: number, results: unknown[], errors: StandardError[], startedAt: string): { status: number; body: unknown } {
  const body = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
  if (errors.length === 0) return { status: okStatus, body };
  return { status: 207, body: { ...body, numErrors: errors.length, errors } };
}

export function renderWritten(ctx: SimContext, type: ObjectType, record: StoredRecord, names: string[]): SimplePublicObject {
  return render(ctx, type, record, { properties: names, propertiesWithHistory: [], associations: [] });
}

/** HubSpot rejects a batch naming the same record twice. */
export function assertNoDuplicates(ids: string[]): void {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) dupes.add(id);
    seen.add(id);
  }
  if (dupes.size > 0) throw validation(`Duplicate IDs found in batch input: [${[...dupes].join(', ')}]. IDs must be unique`);
}

/**
 * Runs per-input checks before anything is written. Without objectWriteTraceId the batch is atomic: the
 * first failure fails the whole request with its own status (e.g. 409 for a duplicate email). With trace
 * ids (HubSpot's multi-status opt-in), failures become 207 errors and the other inputs still go through.
 */
export function partition<T extends { objectWriteTraceId?: string | undefined }, R>(
  inputs: T[],
  prepare: (input: T) => R,
): { ok: R[]; errors: StandardError[] } {
  const multiStatus = inputs.some((input) => input.objectWriteTraceId !== undefined);
  const ok: R[] = [];
  const errors: StandardError[] = [];
  for (const input of inputs) {
    try {
      ok.push(prepare(input));
    } catch (error) {
      if (!(error instanceof HubspotError) || !multiStatus) throw error;
      const failed = standardError(error);
      if (input.objectWriteTraceId !== undefined) failed.context = { ...failed.context, objectWriteTraceId: [input.objectWriteTraceId] };
      errors.push(failed);
    }
  }
  return { ok, errors };
}
