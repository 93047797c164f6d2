import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runCommand } from './support/command';
import { testWorkflowBundle } from '../test/support/workflow-bundle';
import { join, resolve } from 'node:path';
import { findTemporalCli } from '../src/temporal/cli-binary';
import { backfillScenario } from './scenarios/backfill';
import { backfillWithLiveScenario } from './scenarios/backfill-with-live';
import { createLatencyScenario } from './scenarios/create-latency';
import { ingressScenario } from './scenarios/ingress';
import { liveLatencyScenario } from './scenarios/live-latency';
import { shopDealLatencyScenario } from './scenarios/shop-deal-latency';
import { shopInitialLoadScenario } from './scenarios/shop-initial-load';
import { temporalCostScenario } from './scenarios/temporal-cost';
import { parseOptions, usage } from './support/options';
import { progress } from './support/progress';
import { closeOpenStacks } from './support/stack';
import { stopBenchBroker } from './support/broker';
import { updateReadmeFigures } from './support/readme-figures';
import { gitCommit, machine, renderTable, writeResults, type ScenarioRecord } from './support/results';
import type { Scenario, TableRow } from './support/scenario';

const SCENARIOS: Scenario[] = [ingressScenario, liveLatencyScenario, createLatencyScenario, backfillScenario, backfillWithLiveScenario, temporalCostScenario, shopDealLatencyScenario, shopInitialLoadScenario];
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');
const QUICK_RESULTS_FILE = join(__dirname, 'results', 'quick.json');
const POSTGRES_RESULTS_FILE = join(__dirname, 'results', 'postgres.json');
const README = join(__dirname, 'README.md');
/** the SDK's least (1 s) */
const BENCH_WORKER_HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * `npm run bench [-- scenario… --flag=value…]`: runs each scenario against its own fresh stack (embedded Temporal,
 * worker, API, simulators), prints a table on stdout (progress goes to stderr) and writes bench/results/latest.json.
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const names = SCENARIOS.map((s) => s.name);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(names));
    return 0;
  }
  const options = parseOptions(argv, names);
  // The SDK's INFO logs (worker state changes) would drown the progress lines.
  // The SDK would otherwise take over Ctrl-C to drain workers gracefully; a benchmark just stops.
  // A stack is ready once /readyz sees its worker's first heartbeat. At `npm start`'s interval (5 s) that came about
  // 4 s after the worker started, in every stack: half a minute of a quick run. One small RPC a second is nothing
  // beside what a scenario measures.
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [], workerHeartbeatInterval: BENCH_WORKER_HEARTBEAT_INTERVAL_MS, telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupted(signal));
  // The environment the benchmark reads: where the Temporal CLI is, as `npm start` finds it (and AMQP_URL, support/broker.ts).
  const cliPath = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
  const startedAt = new Date().toISOString();
  const { commit, dirty } = gitCommit();
  progress('the workflow bundle for every scenario (built when the sources changed since the last one)');
  const { codePath } = await testWorkflowBundle();

  const records: ScenarioRecord[] = [];
  const { cpuModel } = machine();
  const measured = (name: string) => ({ name, measuredAt: new Date().toISOString(), commit, cpuModel });
  const sections: { scenario: string; rows: TableRow[] }[] = [];
  let failures = 0;
  for (const scenario of SCENARIOS.filter((s) => options.scenarios.includes(s.name))) {
    progress(`scenario ${scenario.name}: ${scenario.summary}`);
    const began = Date.now();
    try {
      const outcome = await scenario.run({ base: { cliPath, workflowBundle: { codePath }, store: options.store }, options });
      records.push({ ...measured(scenario.name), ...outcome.figures, wallSeconds: Math.round((Date.now() - began) / 1000), table: outcome.rows });
      sections.push({ scenario: scenario.name, rows: outcome.rows });
      progress(`scenario ${scenario.name} done in ${Math.round((Date.now() - began) / 1000)} s`);
    } catch (error) {
      failures++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      progress(`scenario ${scenario.name} FAILED: ${message}`);
      records.push({ ...measured(scenario.name), error: error instanceof Error ? error.message : String(error) });
      sections.push({ scenario: scenario.name, rows: [{ metric: 'error', value: error instanceof Error ? error.message : String(error) }] });
    }
  }
  await stopBenchBroker();
  const { scenarios: _scenarios, resultsFile, ...optionValues } = options;
  // a quick run's figures are for a pull request's eyes only, and the table is of the store `npm start` runs: neither
  // replaces the full default run's figures in README.md
  const path = resultsFile ? resolve(resultsFile) : options.quick ? QUICK_RESULTS_FILE : options.store === 'postgres' ? POSTGRES_RESULTS_FILE : RESULTS_FILE;
  const results = writeResults(path, { machine: machine(), commit, dirty, startedAt, options: optionValues }, records);
  if (path === RESULTS_FILE) updateReadmeFigures(README, results);
  process.stdout.write(renderTable(sections));
  progress(`results written to ${path}`);
  return failures ? 1 : 0;
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  progress(`${signal}: stopping the running stack`);
  const deadline = new Promise((resolve) => setTimeout(resolve, 15_000));
  await Promise.race([closeOpenStacks().then(stopBenchBroker), deadline]);
  process.exit(130);
}

runCommand('bench', main);
