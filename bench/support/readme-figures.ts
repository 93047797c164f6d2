import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ResultsFile } from './results';

const BENCH_SOURCE = 'npm run bench from results/latest.json';
const END = '<!-- figures:end -->';
const Rows = z.array(z.object({ metric: z.string(), value: z.string() }));

/**
 * Rewrites the figures block of bench/README.md (or another document: `source` names what writes it) from the results
 * file, so that the document always shows what latest.json holds (each scenario with the machine, commit and time it
 * was measured at).
 */
export function updateReadmeFigures(readmePath: string, results: ResultsFile, source = BENCH_SOURCE): boolean {
  if (!existsSync(readmePath)) return false;
  const START = `<!-- figures:start (written by ${source}) -->`;
  const text = readFileSync(readmePath, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return false;
  const m = results.machine;
  const lines = [
    START,
    `Machine: ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${m.platform}. Last run started ${results.startedAt} at commit`,
    `\`${results.commit.slice(0, 12)}\`${results.dirty ? ' with uncommitted changes' : ''}.`,
    '',
    '| scenario | metric | value | measured |',
    '| --- | --- | --- | --- |',
  ];
  for (const scenario of results.scenarios) {
    const table = Rows.safeParse(scenario.table);
    const rows = table.success ? table.data : [{ metric: 'error', value: typeof scenario.error === 'string' ? scenario.error : 'no figures' }];
    rows.forEach((row, i) => lines.push(`| ${i === 0 ? scenario.name : ''} | ${row.metric.trim()} | ${row.value.replace(/\|/g, '\\|')} | ${i === 0 ? `${scenario.measuredAt.slice(0, 16).replace('T', ' ')} \`${scenario.commit.slice(0, 7)}\`` : ''} |`));
  }
  lines.push(END);
  writeFileSync(readmePath, `${text.slice(0, from)}${lines.join('\n')}${text.slice(to + END.length)}`);
  return true;
}
