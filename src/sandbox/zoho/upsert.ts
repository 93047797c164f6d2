import type { ZohoContext } from './context';
import { ZohoHttpError, zohoError } from './errors';
import { type ModuleName, SYSTEM_DUPLICATE_FIELD, isUnique } from './fields';
import type { Actor } from './record-types';
import { type ItemResult, failure, success } from './write-body';

/**
 * The fields upsert matches on, in order. Without `duplicate_check_fields`: the module's system field
 * (Contacts.Email, Accounts.Account_Name) and then every unique field. With it: exactly those fields, each
 * of which must be the system field or a unique field.
 */
export function duplicateCheckFields(ctx: ZohoContext, module: ModuleName, given: unknown): string[] {
  const system = SYSTEM_DUPLICATE_FIELD[module];
  const unique = ctx.data.fields.list(module).filter(isUnique).map((f) => f.api_name);
  if (given === undefined || given === null) return [system, ...unique.filter((f) => f !== system)];
  if (!Array.isArray(given) || given.length === 0) throw invalidCheckFields();
  const fields: string[] = [];
  for (const name of given) {
    if (typeof name !== 'string' || (name !== system && !unique.includes(name))) throw invalidCheckFields(name);
    fields.push(name);
  }
  return fields;
}

function invalidCheckFields(apiName?: unknown): ZohoHttpError {
  const details: Record<string, unknown> = { api_name: 'duplicate_check_fields', json_path: '$.duplicate_check_fields' };
  if (typeof apiName === 'string') details.field = apiName;
  return new ZohoHttpError(400, zohoError('INVALID_DATA', 'invalid data', details));
}

/** Upserts one item: the first check field with a value that matches an existing record (oldest first) wins. */
export function upsertOne(ctx: ZohoContext, module: ModuleName, item: unknown, index: number, checkFields: readonly string[], actor: Actor): ItemResult {
  const store = ctx.data.store(module);
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    for (const field of checkFields) {
      const raw: unknown = Reflect.get(item, field);
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const matchId = store.findBy(field, raw)[0];
      if (matchId === undefined) continue;
      const out = ctx.writer.update(module, matchId, item, index, actor);
      if (!out.ok) return failure(out.error);
      return success(ctx.view.writeDetails(out.rec), 'record updated', { duplicate_field: field, action: 'update' });
    }
  }
  const out = ctx.writer.create(module, item, index, actor);
  if (!out.ok) return failure(out.error);
  return success(ctx.view.writeDetails(out.rec), 'record added', { duplicate_field: null, action: 'insert' });
}
