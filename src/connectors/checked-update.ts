import type { CrmObject, FieldValues, RecordSnapshot, WriteResult } from '../domain/records';
import { heldValueOf } from '../domain/presumed-records';
import { NotFoundError, PermanentCrmError, StaleReadError } from './errors';
import type { BatchOutcome, BatchUpdateInput, CrmConnector } from './types';

/**
 * No system offers a conditional write, so a write carries `expected`: the values its plan read for the fields it is
 * about to write (for a record the plan did not read, everything its link holds). The record is read again right
 * before the write, and the write refused (StaleReadError) when a person changed one of them meanwhile, so a slow plan
 * never overwrites a newer edit with an older decision.
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

export async function updateChecked(connector: CrmConnector, object: CrmObject, input: CheckedUpdateInput): Promise<WriteResult> {
  const refusal = isChecked(input) ? refusalOf(connector, object, input, await connector.get(object, input.id)) : null;
  if (refusal) throw refusal;
  return connector.update(object, input.id, input.fields, input.links);
}

/**
 * updateChecked for many records in two requests: one batch read of the checked records' fields (their references
 * are not compared, so not read) straight before one batch update of those that still hold what was expected.
 * Refusals come back in place, as updateMany's do.
 */
export async function updateManyChecked(connector: CrmConnector, object: CrmObject, inputs: CheckedUpdateInput[]): Promise<BatchOutcome[]> {
  const checked = inputs.filter(isChecked).map((input) => input.id);
  const current = new Map((checked.length > 0 ? await connector.getMany(object, checked, { fieldsOnly: true }) : []).map((record) => [record.ref.id, record]));
  const outcomes: (BatchOutcome | undefined)[] = inputs.map((input) => {
    const error = refusalOf(connector, object, input, current.get(input.id));
    return error ? { ok: false, error } : undefined;
  });
  const writable = inputs.flatMap((input, index) => (outcomes[index] ? [] : [{ index, input: { id: input.id, fields: input.fields, links: input.links } }]));
  const written = writable.length > 0 ? await connector.updateMany(object, writable.map((w) => w.input)) : [];
  writable.forEach((w, position) => {
    outcomes[w.index] = written[position];
  });
  return outcomes.map((outcome, index) => outcome ?? { ok: false, error: new PermanentCrmError(`${connector.system} ${object} ${inputs[index]?.id}: no answer for this record`) });
}
