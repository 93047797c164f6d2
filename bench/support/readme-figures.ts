import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ResultsFile } from './results';

const END = '<!-- figures:end -->';
const Rows = z.array(z.object({ metric: z.string(), value: z.string() }));

export interface FiguresBlock {
  /** what writes the block, named in its start marker */
  source: string;
  /** the markdown table of the scenarios (default: one line per metric of each scenario's printed table) */
  table(results: ResultsFile): string[];
}

const BENCH_BLOCK: FiguresBlock = { source: 'npm run bench from results/latest.json', table: metricRows };

/**
 * Rewrites the figures block of bench/README.md (or of another document, `block` says how) from the results file, so
 * that the document always shows what latest.json holds (each scenario with the machine, commit and time it was
 * measured at).
 */
export function updateReadmeFigures(readmePath: string, results: ResultsFile, block: FiguresBlock = BENCH_BLOCK): boolean {
  if (!existsSync(readmePath)) return false;
  const start = `<!-- figures:start (written by ${block.source}) -->`;
  const text = readFileSync(readmePath, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return false;
  const m = results.machine;
  const lines = [
    start,
    `Machine: ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${m.platform}. Last run started ${results.startedAt} at commit`,
    `\`${results.commit.slice(0, 12)}\`${results.dirty ? ' with uncommitted changes' : ''}.`,
    '',
    ...block.table(results),
    END,
  ];
  writeFileSync(readmePath, `${text.slice(0, from)}${lines.join('\n')}${text.slice(to + END.length)}`);
  return true;
}

/** When, at which commit and on which CPU a scenario was measured, for a table cell. */
export function measuredCell(scenario: { measuredAt: string; commit: string; cpuModel?: string }): string {
  const cpu = scenario.cpuModel ? ` ${shortCpu(scenario.cpuModel)}` : '';
  return `${scenario.measuredAt.slice(0, 16).replace('T', ' ')} \`${scenario.commit.slice(0, 7)}\`${cpu}`;
}

/** "Intel(R) Xeon(R) Processor @ 2.80GHz" → "Xeon 2.80GHz": the same code's figures differ by ×2 and more between hosts. */
function shortCpu(model: string): string {
  return model.replace(/\((R|TM)\)|\bIntel\b|\bProcessor\b|\bCPU\b|@/g, ' ').replace(/\s+/g, ' ').trim();
}

function metricRows(results: ResultsFile): string[] {
  const lines = ['| scenario | metric | value | measured |', '| --- | --- | --- | --- |'];
  for (const scenario of results.scenarios) {
    const table = Rows.safeParse(scenario.table);
    const rows = table.success ? table.data : [{ metric: 'error', value: typeof scenario.error === 'string' ? scenario.error : 'no figures' }];
    rows.forEach((row, i) => lines.push(`| ${i === 0 ? scenario.name : ''} | ${row.metric.trim()} | ${row.value.replace(/\|/g, '\\|')} | ${i === 0 ? measuredCell(scenario) : ''} |`));
  }
  return lines;
}
