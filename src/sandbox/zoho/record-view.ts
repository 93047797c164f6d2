import type { ZohoData } from './data';
import type { FieldDef, ModuleName } from './fields';
import type { StoredRecord, ZohoUser } from './record-types';
import { formatZohoTime } from './time';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type FlatRecord = Record<string, JsonValue>;

function userRef(user: ZohoUser | undefined, id: string): JsonValue {
  return user ? { name: user.name, id: user.id, email: user.email } : { name: null, id, email: null };
}

/** Turns stored values into Zoho's wire shape: lookups as {name,id}, users as {name,id,email}, zoned times. */
export class RecordView {
  constructor(
    private readonly data: ZohoData,
    private readonly offsetMinutes: () => number,
  ) {}

  time(ms: number): string {
    return formatZohoTime(ms, this.offsetMinutes());
  }

  value(rec: StoredRecord, def: FieldDef): JsonValue {
    switch (def.api_name) {
      case 'Created_Time':
        return this.time(rec.createdMs);
      case 'Modified_Time':
        return this.time(rec.modifiedMs);
      case 'Created_By':
        return userRef(this.data.userById(rec.createdBy), rec.createdBy);
      case 'Modified_By':
        return userRef(this.data.userById(rec.modifiedBy), rec.modifiedBy);
      case 'Full_Name':
        return [rec.values.First_Name, rec.values.Last_Name].filter((v) => typeof v === 'string' && v).join(' ') || null;
    }
    const raw = rec.values[def.api_name] ?? null;
    if (raw === null) return null;
    if (def.data_type === 'ownerlookup') return userRef(this.data.userById(String(raw)), String(raw));
    if (def.data_type === 'lookup' && def.lookupModule) return this.lookup(def.lookupModule, String(raw));
    return raw;
  }

  lookup(module: ModuleName, id: string): JsonValue {
    const target = this.data.store(module).get(id);
    const nameField = module === 'Accounts' ? 'Account_Name' : 'Full_Name';
    const name = target ? (target.values[nameField] ?? null) : null;
    return { name: typeof name === 'string' ? name : null, id };
  }

  /** The record with every field (or only `fields`, plus id), as GET /{module} returns it. */
  flat(rec: StoredRecord, fields?: readonly string[]): FlatRecord {
    const out: FlatRecord = { id: rec.id };
    const defs = this.data.fields.list(rec.module);
    const wanted = fields ? new Set(fields) : null;
    for (const def of defs) {
      if (wanted && !wanted.has(def.api_name)) continue;
      out[def.api_name] = this.value(rec, def);
    }
    return out;
  }

  /** `details` of a successful write, as in the createRecords 201 example. */
  writeDetails(rec: StoredRecord): FlatRecord {
    const by = (id: string): JsonValue => {
      const u = this.data.userById(id);
      return { name: u?.name ?? null, id };
    };
    return {
      Modified_Time: this.time(rec.modifiedMs),
      Modified_By: by(rec.modifiedBy),
      Created_Time: this.time(rec.createdMs),
      id: rec.id,
      Created_By: by(rec.createdBy),
      $approval_state: 'approved',
    };
  }
}
