import type { SyncRules } from '../config/sync-rules';
import { mappingsTable } from '../domain/mappings-table';

/** Body of `npm run mappings`: the configured mappings as markdown on stdout. */
export function printMappings(rules: SyncRules): void {
  process.stdout.write(mappingsTable(rules));
}
