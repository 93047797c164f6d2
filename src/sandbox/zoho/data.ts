import { FieldRegistry } from './field-registry';
import { MODULES, type ModuleName, SYSTEM_DUPLICATE_FIELD } from './fields';
import type { ZohoSimulatorOptions } from './options';
import type { Actor, ZohoUser } from './record-types';
import { ModuleStore } from './store';
import { IdSequence } from './time';

export const FIRST_RECORD_COUNTER = 1_000_000;

/** Record and field state of the simulated org, shared by the API routes, the "UI" routes and seeding. */
export class ZohoData {
  readonly fields: FieldRegistry;
  readonly ids = new IdSequence('5725767000', FIRST_RECORD_COUNTER);
  readonly uiUser: ZohoUser = { id: '5725767000000411007', name: 'Sam Rivera', email: 'sam.rivera@sandbox.example', zuid: '75092203' };
  private stores: Record<ModuleName, ModuleStore>;

  constructor(private readonly options: ZohoSimulatorOptions) {
    this.fields = new FieldRegistry(options.uniqueStandardFields);
    this.stores = this.freshStores();
  }

  store(module: ModuleName): ModuleStore {
    return this.stores[module];
  }

  get apiUser(): ZohoUser {
    return this.options.user;
  }

  userFor(actor: Actor): ZohoUser {
    return actor === 'api' ? this.apiUser : this.uiUser;
  }

  userById(id: string): ZohoUser | undefined {
    return [this.apiUser, this.uiUser].find((u) => u.id === id);
  }

  /** Drops every record (ids restart, so a seed after a reset is reproducible). */
  clearRecords(): void {
    for (const module of MODULES) this.stores[module].clear();
    this.ids.current = FIRST_RECORD_COUNTER;
  }

  /** Records and custom fields: back to a brand-new org. */
  resetAll(): void {
    this.fields.reset();
    this.stores = this.freshStores();
    this.ids.current = FIRST_RECORD_COUNTER;
  }

  /** Called when a unique custom field appears, so duplicate checks on it stay O(1). */
  indexField(module: ModuleName, apiName: string): void {
    this.stores[module].ensureIndex(apiName);
  }

  private freshStores(): Record<ModuleName, ModuleStore> {
    const make = (module: ModuleName): ModuleStore => {
      const indexed = [SYSTEM_DUPLICATE_FIELD[module], ...this.fields.uniqueFields(module).map((f) => f.api_name)];
      return new ModuleStore(module, indexed, () => this.options.searchIndexDelayMs);
    };
    return { Contacts: make('Contacts'), Accounts: make('Accounts') };
  }
}
