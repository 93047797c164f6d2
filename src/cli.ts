import { loadConfig } from './config';
import { printMappings } from './cli/mappings-table';
import { runOperatorCommand } from './cli/operator-commands';

const USAGE = `usage: npm run cli -- <command>
  mappings                         print the field mappings as a markdown table
  status                           counts of sync workflows by SyncStatus and object
  retry <workflowId>               re-run the sync of one failed record
  retry --all-failed [--object contact|company]
                                   re-run every failed record (visibility query SyncStatus="failed")
`;

/** Our CLI: one process per command, exit code 0 on success, 1 with a message naming what was wrong. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'mappings':
      printMappings(config.rules);
      return 0;
    case 'status':
    case 'retry':
      return runOperatorCommand(config, command, rest);
    default:
      process.stderr.write(command ? `unknown command: ${command}\n${USAGE}` : USAGE);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
