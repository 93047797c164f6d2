import type { CrmObject, FieldValues, RecordSnapshot, WriteResult } from '../domain/records';
import { heldValueOf } from '../domain/presumed-records';
import { CrmError, NotFoundError, PermanentCrmError, RateLimitedError, StaleReadError, TransientCrmError } from './errors';
import type { BatchOutcome, BatchUpdateInput, CrmConnector, UnmodifiedSince, WrittenFields } from './types';

/**
 * A write carries `expected`: the values its plan read for the fields it is about to write (for a record the plan did
 * not read, everything its link holds). The record is read again right before the write, and the write refused
 * (StaleReadError) when a person changed one of them meanwhile, so a slow plan never overwrites a newer edit with an
 * older decision. An edit that lands between that read and the write is refused by the system where it offers a
 * conditional write (Zoho, on the version that read found), and found afterwards where it keeps field history
 * (HubSpot: restoreOverwritten).
 */
export interface CheckedUpdateInput extends BatchUpdateInput {
  expected?: FieldValues;
}

/**
 * The one place the lost-update check is decided: the fields that no longer hold what the plan read (or, for a record
 * the plan did not read, what its link held: src/domain/presumed-records.ts, which also checks cross-references).
 */
function changedSinceRead(current: RecordSnapshot, expected: FieldValues): string[] {
  return Object.keys(expected).filter((key) => heldValueOf(current, key) !== (expected[key] ?? null));
}

const isChecked = (input: CheckedUpdateInput): input is CheckedUpdateInput & { expected: FieldValues } =>
  input.expected !== undefined && Object.keys(input.expected).length > 0;

function refusalOf(connector: CrmConnector, object: CrmObject, input: CheckedUpdateInput, current: RecordSnapshot | null | undefined): NotFoundError | StaleReadError | null {
  if (!isChecked(input)) return null;
  if (!current) return new NotFoundError(`${connector.system} ${object} ${input.id} no longer exists`, 404);
  const changed = changedSinceRead(current, input.expected);
  return changed.length > 0 ? new StaleReadError(`${connector.system} ${object} ${input.id} changed since it was read (${changed.join(', ')})`) : null;
}

const versionOf = (current: RecordSnapshot | null | undefined): UnmodifiedSince | undefined =>
  current ? { version: current.version, modifiedAt: current.modifiedAt } : undefined;

export async function updateChecked(connector: CrmConnector, object: CrmObject, input: CheckedUpdateInput): Promise<WriteResult> {
  const current = isChecked(input) ? await connector.get(object, input.id) : undefined;
  const refusal = refusalOf(connector, object, input, current);
  if (refusal) throw refusal;
  const result = await connector.update(object, input.id, input.fields, input.links, versionOf(current));
  const [outcome] = await restoreOverwritten(connector, object, [input], [{ ok: true, result }]);
  if (outcome && !outcome.ok) throw outcome.error;
  return result;
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean => (a ?? null) === (b ?? null);

/** The checked fields a write set, to look back on once it is done; null for a write with nothing to look back on. */
function lookBackOf(input: CheckedUpdateInput, outcome: BatchOutcome | undefined): WrittenFields | null {
  if (!isChecked(input) || !outcome?.ok) return null;
  const checked = Object.keys(input.fields).filter((field) => Object.hasOwn(input.expected, field));
  return checked.length > 0 ? { id: input.id, fields: Object.fromEntries(checked.map((field) => [field, input.fields[field] ?? null])), at: outcome.result.modifiedAt } : null;
}

/**
 * The window the re-read leaves, closed where the system keeps field history: a value that stood just before our write
 * and is neither what the re-read found nor what we wrote came in between, a person's edit newer than anything the
 * plan saw. While our value still stands it is written back, and the update answered stale, so the pass plans again
 * from fresh reads and that edit wins as any newer edit does (rather than our write's echo passing for the edit).
 * Neither the look-back nor the write back can be redone by a retry of the update, whose re-read then finds our own
 * value and refuses: a look-back that fails leaves the outcomes as the write gave them, for the next pass that finds our
 * value standing unsaved to ask again (CrmConnector.valuesReplaced), and a write back is tried again here before its
 * error is the answer.
 */
async function restoreOverwritten(connector: CrmConnector, object: CrmObject, inputs: CheckedUpdateInput[], outcomes: BatchOutcome[], round = 1): Promise<BatchOutcome[]> {
  if (!connector.aroundWrites) return outcomes;
  const written = inputs.flatMap((input, index) => {
    const lookBack = lookBackOf(input, outcomes[index]);
    return lookBack ? [{ index, lookBack, expected: input.expected ?? {} }] : [];
  });
  if (written.length === 0) return outcomes;
  const around = await connector.aroundWrites(object, written.map((w) => w.lookBack)).catch(() => null);
  if (!around) return outcomes;
  const restores = written.flatMap(({ index, lookBack, expected }) => {
    const held = around.get(lookBack.id);
    if (!held) return [];
    const overwritten = Object.keys(lookBack.fields).filter(
      (field) => same(held.now[field], lookBack.fields[field]) && !same(held.before[field], expected[field]) && !same(held.before[field], lookBack.fields[field]),
    );
    if (overwritten.length === 0) return [];
    const back = (values: FieldValues) => Object.fromEntries(overwritten.map((field) => [field, values[field] ?? null]));
    return [{ index, id: lookBack.id, fields: back(held.before), ours: back(lookBack.fields) }];
  });
  if (restores.length === 0) return outcomes;
  // A write back writes over what stands then as any write does: an edit landing between the look-back and it (a
  // moment on a quiet machine, seconds on a starved one) is looked back on and put back in turn.
  const backs = restores.map(({ id, fields, ours }) => ({ id, fields, links: {}, expected: ours }));
  const wroteBack = await writeBack(connector, object, backs);
  const restored = round < WRITE_BACK_ROUNDS ? await restoreOverwritten(connector, object, backs, wroteBack, round + 1) : wroteBack;
  const answered = [...outcomes];
  restores.forEach(({ index, id, fields }, position) => {
    const outcome = restored[position];
    answered[index] = outcome?.ok
      ? { ok: false, error: new StaleReadError(`${connector.system} ${object} ${id} changed while it was written (${Object.keys(fields).join(', ')}); the newer value was put back`) }
      : (outcome ?? { ok: false, error: new PermanentCrmError(`${connector.system} ${object} ${id}: no answer for the write back`) });
  });
  return answered;
}

/**
 * updateChecked for many records in two requests: one batch read of the checked records' fields (their references
 * are not compared, so not read) straight before one batch update of those that still hold what was expected,
 * conditional on the versions that read found.
 * Refusals come back in place, as updateMany's do.
 */
export async function updateManyChecked(connector: CrmConnector, object: CrmObject, inputs: CheckedUpdateInput[]): Promise<BatchOutcome[]> {
  const checked = inputs.filter(isChecked).map((input) => input.id);
  const current = new Map((checked.length > 0 ? await connector.getMany(object, checked, { fieldsOnly: true }) : []).map((record) => [record.ref.id, record]));
  const outcomes: (BatchOutcome | undefined)[] = inputs.map((input) => {
    const error = refusalOf(connector, object, input, current.get(input.id));
    return error ? { ok: false, error } : undefined;
  });
  const writable = inputs.flatMap((input, index) =>
    outcomes[index] ? [] : [{ index, input: { id: input.id, fields: input.fields, links: input.links, unmodifiedSince: versionOf(current.get(input.id)) } }],
  );
  const written = writable.length > 0 ? await connector.updateMany(object, writable.map((w) => w.input)) : [];
  writable.forEach((w, position) => {
    outcomes[w.index] = written[position];
  });
  const answered = outcomes.map((outcome, index): BatchOutcome => outcome ?? { ok: false, error: new PermanentCrmError(`${connector.system} ${object} ${inputs[index]?.id}: no answer for this record`) });
  return restoreOverwritten(connector, object, inputs, answered);
}

/** Tries at most this often to put overwritten values back, waiting between tries as a refusal asks (capped). */
const WRITE_BACK_TRIES = 3;
/** Write backs over edits that landed during the write back before, at most. */
const WRITE_BACK_ROUNDS = 3;
const WRITE_BACK_MAX_WAIT_MS = 2000;

async function writeBack(connector: CrmConnector, object: CrmObject, inputs: BatchUpdateInput[]): Promise<BatchOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connector.updateMany(object, inputs);
    } catch (error) {
      const crmError = error instanceof CrmError ? error : new TransientCrmError(String(error));
      if (!crmError.retryable || attempt >= WRITE_BACK_TRIES) return inputs.map(() => ({ ok: false, error: crmError }));
      const waitMs = crmError instanceof RateLimitedError ? Math.min(crmError.retryAfterMs, WRITE_BACK_MAX_WAIT_MS) : 250 * attempt;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
