import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Figures, TableRow } from './scenario';

export interface ScenarioRecord extends Figures {
  name: string;
  measuredAt: string;
  commit: string;
  /** the CPU it ran on: a file's scenarios may come from different machines (absent in records before 2026-12-07) */
  cpuModel?: string;
}

export interface ResultsFile {
  machine: { cores: number; node: string; platform: string; cpuModel: string };
  commit: string;
  /** uncommitted changes in the tree when measured */
  dirty: boolean;
  startedAt: string;
  options: Record<string, unknown>;
  scenarios: ScenarioRecord[];
}

const Previous = z.looseObject({ scenarios: z.array(z.looseObject({ name: z.string() })) });

export function gitCommit(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

export function machine(): ResultsFile['machine'] {
  return { cores: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`, cpuModel: cpus()[0]?.model ?? 'unknown' };
}

const BENCH_ORDER = ['ingress', 'live-latency', 'create-latency', 'backfill', 'backfill-with-live', 'temporal-cost', 'shop-deal-latency', 'shop-initial-load'];

/**
 * Writes the results file, its scenarios in `order`. A run of some scenarios replaces those scenarios' entries and keeps the others (each entry
 * says when and at which commit it was measured), so `npm run bench -- ingress` does not erase the rest.
 */
export function writeResults(path: string, run: Omit<ResultsFile, 'scenarios'>, fresh: ScenarioRecord[], order: readonly string[] = BENCH_ORDER): ResultsFile {
  let kept: ScenarioRecord[] = [];
  if (existsSync(path)) {
    const previous = Previous.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (previous.success) {
      const names = new Set(fresh.map((s) => s.name));
      kept = previous.data.scenarios.filter((s): s is ScenarioRecord => !names.has(s.name) && typeof s.measuredAt === 'string' && typeof s.commit === 'string');
    }
  }
  const scenarios = [...kept, ...fresh].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const file: ResultsFile = { ...run, scenarios };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/** The stdout table: one block per scenario. */
export function renderTable(sections: { scenario: string; rows: TableRow[] }[]): string {
  const width = Math.max(10, ...sections.flatMap((s) => s.rows.map((r) => r.metric.length)));
  const scenarioWidth = Math.max(8, ...sections.map((s) => s.scenario.length));
  const lines = [`${'scenario'.padEnd(scenarioWidth)}  ${'metric'.padEnd(width)}  value`, `${'-'.repeat(scenarioWidth)}  ${'-'.repeat(width)}  ${'-'.repeat(24)}`];
  for (const section of sections) {
    section.rows.forEach((row, i) => lines.push(`${(i === 0 ? section.scenario : '').padEnd(scenarioWidth)}  ${row.metric.padEnd(width)}  ${row.value}`));
  }
  return `${lines.join('\n')}\n`;
}
