import type { SystemName } from '../domain/records';
import type { SyncRules } from '../domain/schema/sync-rules';
import { mappingsTable } from '../domain/mappings-table';

/** Body of `npm run mappings`: the configured mappings as markdown on stdout, one column per registered system. */
export function printMappings(rules: SyncRules, systems?: SystemName[]): void {
  process.stdout.write(mappingsTable(rules, systems));
}
