import { type FieldDef, type ModuleName, MODULES, isUnique, standardFields } from './fields';

/** The field layout of each module: standard fields plus custom ones created through the fields API. */
export class FieldRegistry {
  private readonly fields = new Map<ModuleName, Map<string, FieldDef>>();
  private nextCustom = 1;
  private added: Array<{ module: ModuleName; def: FieldDef }> = [];
  private readonly lists = new Map<ModuleName, FieldDef[]>();

  constructor(private readonly uniqueStandard: Record<ModuleName, string[]>) {
    this.reset();
  }

  reset(): void {
    this.lists.clear();
    for (const module of MODULES) {
      const map = new Map<string, FieldDef>();
      for (const def of standardFields(module, this.uniqueStandard[module])) map.set(def.api_name, def);
      this.fields.set(module, map);
    }
    this.nextCustom = 1;
    this.added = [];
  }

  /** Fields created through the API, for snapshots. */
  exportAdded(): Array<{ module: ModuleName; def: FieldDef }> {
    return this.added.map((a) => ({ module: a.module, def: { ...a.def } }));
  }

  /** Cached per module (hot path: every record serialisation); do not mutate the returned array. */
  list(module: ModuleName): readonly FieldDef[] {
    let cached = this.lists.get(module);
    if (!cached) {
      cached = [...this.map(module).values()];
      this.lists.set(module, cached);
    }
    return cached;
  }

  get(module: ModuleName, apiName: string): FieldDef | undefined {
    return this.map(module).get(apiName);
  }

  uniqueFields(module: ModuleName): FieldDef[] {
    return this.list(module).filter(isUnique);
  }

  customFields(module: ModuleName): FieldDef[] {
    return this.list(module).filter((f) => f.custom_field);
  }

  nextCustomId(): string {
    return `5725767000000${String(900000 + this.nextCustom).padStart(6, '0')}`;
  }

  add(module: ModuleName, def: FieldDef): void {
    this.map(module).set(def.api_name, def);
    this.lists.delete(module);
    this.added.push({ module, def });
    this.nextCustom += 1;
  }

  private map(module: ModuleName): Map<string, FieldDef> {
    const map = this.fields.get(module);
    if (!map) throw new Error(`unknown module ${module}`);
    return map;
  }
}
