import { measuredCell, type FiguresBlock } from '../../bench/support/readme-figures';
import type { ResultsFile } from '../../bench/support/results';

/** docs/RELIABILITY.md's results: one line per scenario, its figures in columns. */
export const RELIABILITY_BLOCK: FiguresBlock = {
  source: 'npm run chaos from chaos/results/latest.json',
  table: (results: ResultsFile) => {
    const count = (value: unknown) => (typeof value === 'number' ? String(value) : 'n/a');
    const lines = [
      '| scenario | verdict | changes made | lost updates | duplicates | missing records | convergence | 2xx while Temporal was down | 5xx to hostile input | measured |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ];
    for (const s of results.scenarios) {
      const measured = `${measuredCell(s)}${typeof s.topology === 'string' ? ` (${s.topology})` : ''}`;
      if (typeof s.error === 'string') {
        lines.push(`| ${s.name} | error: ${s.error.split('\n')[0]?.replace(/\|/g, '\\|') ?? ''} | | | | | | | | ${measured} |`);
        continue;
      }
      const convergence = typeof s.convergenceMs === 'number' ? `${(s.convergenceMs / 1000).toFixed(1)} s` : 'not converged';
      const changes = `${count(s.changes)} in ${count(s.loadSeconds)} s`;
      const cells = [s.passed === true ? 'pass' : '**FAIL**', changes, count(s.lostUpdates), count(s.duplicates), count(s.missingRecords), convergence, count(s.acceptedWhileTemporalDown), count(s.hostile5xx)];
      lines.push(`| ${s.name} | ${cells.join(' | ')} | ${measured} |`);
    }
    return lines;
  },
};
