import { join, resolve } from 'node:path';
import { runCommand } from '../bench/support/command';
import { progress, setProgressTag } from '../bench/support/progress';
import { updateReadmeFigures } from '../bench/support/readme-figures';
import { gitCommit, machine, renderTable, writeResults, type ScenarioRecord } from '../bench/support/results';
import type { TableRow } from '../bench/support/scenario';
import { SCENARIOS } from './scenarios';
import { parseOptions, usage } from './support/options';
import { RELIABILITY_BLOCK } from './support/reliability-doc';
import { closeOpenTopologies, runScenario, type ScenarioFigures } from './support/run-scenario';
import { TOPOLOGIES } from './topologies';

const RESULTS_FILE = join(__dirname, 'results', 'latest.json');
const RELIABILITY = join(__dirname, '..', 'docs', 'RELIABILITY.md');

/**
 * `npm run chaos [-- scenario… --flag=value…]`: each scenario on a fresh topology, a person's edits in both CRMs while
 * the scenario's fault strikes, then the oracle's verdict. Prints a table on stdout (progress on stderr), writes
 * chaos/results/latest.json and the table in docs/RELIABILITY.md; exits 1 if any scenario lost, duplicated or missed
 * anything (or failed to run).
 */
async function main(): Promise<number> {
  setProgressTag('chaos');
  const argv = process.argv.slice(2);
  const topologyNames = TOPOLOGIES.map((t) => t.name);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(SCENARIOS, topologyNames));
    return 0;
  }
  const options = parseOptions(argv, SCENARIOS.map((s) => s.name), topologyNames);
  const topology = TOPOLOGIES.find((t) => t.name === options.topology);
  if (!topology) throw new Error(`unknown topology ${options.topology}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupted(signal));
  const startedAt = new Date().toISOString();
  const { commit, dirty } = gitCommit();

  const records: ScenarioRecord[] = [];
  const sections: { scenario: string; rows: TableRow[] }[] = [];
  let failures = 0;
  for (const scenario of SCENARIOS.filter((s) => options.scenarios.includes(s.name))) {
    progress(`scenario ${scenario.name}: ${scenario.summary}`);
    const began = Date.now();
    try {
      const figures = await runScenario(scenario, topology, options);
      if (!figures.passed) failures++;
      const rows = tableRows(figures);
      records.push({ name: scenario.name, measuredAt: new Date().toISOString(), commit, ...figures, wallSeconds: Math.round((Date.now() - began) / 1000), table: rows });
      sections.push({ scenario: scenario.name, rows });
      for (const evidence of figures.evidence.slice(0, 20)) progress(`  ${evidence.problem}: ${JSON.stringify(evidence)}`);
      progress(`scenario ${scenario.name} ${figures.passed ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - began) / 1000)} s`);
    } catch (error) {
      failures++;
      progress(`scenario ${scenario.name} could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const message = error instanceof Error ? error.message : String(error);
      records.push({ name: scenario.name, measuredAt: new Date().toISOString(), commit, topology: topology.name, passed: false, error: message });
      sections.push({ scenario: scenario.name, rows: [{ metric: 'error', value: message.split('\n')[0] ?? message }] });
    }
  }
  const { scenarios: _scenarios, resultsFile, ...settings } = options;
  const path = resultsFile ? resolve(resultsFile) : RESULTS_FILE;
  const results = writeResults(path, { machine: machine(), commit, dirty, startedAt, options: settings }, records, SCENARIOS.map((s) => s.name));
  if (path === RESULTS_FILE) updateReadmeFigures(RELIABILITY, results, RELIABILITY_BLOCK);
  process.stdout.write(renderTable(sections));
  progress(`results written to ${path}`);
  return failures ? 1 : 0;
}

function tableRows(figures: ScenarioFigures): TableRow[] {
  const count = (value: number | null) => (value === null ? 'n/a' : String(value));
  return [
    { metric: 'verdict', value: figures.passed ? 'pass' : 'FAIL' },
    { metric: 'changes made', value: `${figures.changes} (${figures.edits} edits, ${figures.creates} creates in ${figures.loadSeconds} s)` },
    { metric: 'lost updates', value: String(figures.lostUpdates) },
    { metric: 'duplicates', value: String(figures.duplicates) },
    { metric: 'missing records', value: String(figures.missingRecords) },
    { metric: 'convergence after the fault', value: figures.convergenceMs === null ? 'not converged' : `${(figures.convergenceMs / 1000).toFixed(1)} s` },
    { metric: '2xx while Temporal was down', value: count(figures.acceptedWhileTemporalDown) },
    { metric: '5xx to hostile input', value: count(figures.hostile5xx) },
    // what the scenario counted itself (kills, the burst's figures), in its own words
    ...Object.entries(figures.details)
      .filter(([, value]) => value !== '')
      .map(([metric, value]) => ({ metric, value: String(value) })),
  ];
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  progress(`${signal}: stopping the running topology`);
  await Promise.race([closeOpenTopologies(), new Promise((resolve) => setTimeout(resolve, 20_000))]);
  process.exit(130);
}

runCommand('chaos', main);
