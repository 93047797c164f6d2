import { loadConfig } from './config';
import { runBackfillCommand, type CommandIo } from './cli/backfill-command';
import { runBackfillControl } from './cli/backfill-control';
import { printMappings } from './cli/mappings-table';
import { runOperatorCommand } from './cli/operator-commands';
import { CRM_OBJECTS } from './domain/records';
import { enabledSystems, SYSTEMS } from './systems/registry';

const SYSTEM_NAMES = SYSTEMS.map((system) => system.name);

const USAGE = `usage: npm run cli -- <command>
  mappings                         print the field mappings as a markdown table
  status                           counts of sync workflows by SyncStatus and object
  retry <workflowId>               re-run the sync of one failed record
  retry --all-failed [--object ${CRM_OBJECTS.join('|')}]
                                   re-run every failed record (visibility query SyncStatus="failed")
  backfill --from ${SYSTEM_NAMES.join('|')} --object ${CRM_OBJECTS.join('|')} [--dry-run] [--max-rps N] …
                                   load existing records through the sync path (README "Backfill")
  backfill-progress|backfill-pause|backfill-resume|backfill-cancel <workflowId>
                                   watch or control a running backfill
`;

/** Our CLI: one process per command, exit code 0 on success, 1 with a message naming what was wrong. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'mappings':
      printMappings(config.rules, SYSTEM_NAMES);
      return 0;
    case 'status':
    case 'retry':
      return runOperatorCommand(config, command, rest, SYSTEM_NAMES);
    case 'backfill':
      return runBackfillCommand(config, rest, processIo(), enabledSystems(config));
    case 'backfill-progress':
    case 'backfill-pause':
    case 'backfill-resume':
    case 'backfill-cancel':
      return runBackfillControl(config, command, rest, processIo());
    default:
      process.stderr.write(command ? `unknown command: ${command}\n${USAGE}` : USAGE);
      return 1;
  }
}

/** The terminal: Ctrl-C stops watching a backfill (which keeps running) instead of killing the process mid-write. */
function processIo(): CommandIo {
  const interrupted = new AbortController();
  process.once('SIGINT', () => interrupted.abort());
  return { stdout: process.stdout, stderr: process.stderr, interrupted: interrupted.signal };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
