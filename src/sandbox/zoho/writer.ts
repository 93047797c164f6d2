import type { ZohoData } from './data';
import { type ZohoErrorBody, invalidId } from './errors';
import type { ModuleName } from './fields';
import type { ZohoSimulatorOptions } from './options';
import type { Actor, FieldValue, StoredRecord } from './record-types';
import type { JsonValue, RecordView } from './record-view';
import { checkRecord } from './validation';
import { truncateToSecond } from './time';

export type Operation = 'insert' | 'update' | 'delete';

export interface RecordChange {
  module: ModuleName;
  operation: Operation;
  id: string;
  /** API names whose value changed (all set fields for an insert, none for a delete). */
  changedFields: string[];
  /** Wire-shaped new values of changedFields (for affected_values). */
  values: Record<string, JsonValue>;
  actor: Actor;
}

export type WriteOutcome = { ok: true; rec: StoredRecord } | { ok: false; error: ZohoErrorBody };

/**
 * The only code that mutates records. Both the real API routes and the /_sim/ui routes go through it,
 * so every change, whoever made it, reaches the notifier the same way.
 */
export class RecordWriter {
  private readonly listeners: Array<(change: RecordChange) => void> = [];

  constructor(
    private readonly data: ZohoData,
    private readonly view: RecordView,
    private readonly options: ZohoSimulatorOptions,
  ) {}

  onChange(listener: (change: RecordChange) => void): void {
    this.listeners.push(listener);
  }

  create(module: ModuleName, input: unknown, index: number, actor: Actor): WriteOutcome {
    const checked = checkRecord(this.data, module, input, index, this.options.unknownFieldPolicy);
    if (!checked.ok) return checked;
    const user = this.data.userFor(actor);
    const now = truncateToSecond(Date.now());
    const values = { ...checked.values };
    values.Owner ??= user.id;
    const rec: StoredRecord = {
      id: this.data.ids.take(),
      module,
      values,
      createdMs: now,
      modifiedMs: now,
      createdBy: user.id,
      modifiedBy: user.id,
    };
    this.data.store(module).insert(rec);
    const changed = Object.keys(values).filter((k) => values[k] !== null);
    this.emit({ module, operation: 'insert', id: rec.id, changedFields: changed, values: this.wire(rec, changed), actor });
    return { ok: true, rec };
  }

  update(module: ModuleName, id: string, input: unknown, index: number, actor: Actor): WriteOutcome {
    const store = this.data.store(module);
    const rec = store.get(id);
    if (!rec) return { ok: false, error: invalidId(index, id) };
    const checked = checkRecord(this.data, module, input, index, this.options.unknownFieldPolicy, rec);
    if (!checked.ok) return checked;
    const before = rec.values;
    const changed = unionKeys(before, checked.values).filter((k) => (before[k] ?? null) !== (checked.values[k] ?? null));
    // Zoho stamps Modified_Time on every successful update, changed values or not.
    store.update(rec, checked.values, truncateToSecond(Date.now()), this.data.userFor(actor).id);
    this.emit({ module, operation: 'update', id, changedFields: changed, values: this.wire(rec, changed), actor });
    return { ok: true, rec };
  }

  remove(module: ModuleName, id: string, index: number, actor: Actor): WriteOutcome {
    const store = this.data.store(module);
    const rec = store.get(id);
    if (!rec) return { ok: false, error: invalidId(index, id) };
    store.remove(rec, truncateToSecond(Date.now()), this.data.userFor(actor).id);
    this.emit({ module, operation: 'delete', id, changedFields: [], values: {}, actor });
    return { ok: true, rec };
  }

  private wire(rec: StoredRecord, fields: readonly string[]): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const name of fields) {
      const def = this.data.fields.get(rec.module, name);
      if (def) out[name] = this.view.value(rec, def);
    }
    return out;
  }

  private emit(change: RecordChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function unionKeys(a: Record<string, FieldValue>, b: Record<string, FieldValue>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}
