import type { BenchOptions } from './options';
import type { StackBase } from './stack';

/** What every scenario is handed: how to start a stack, and the command line's options. */
export interface ScenarioContext {
  base: StackBase;
  options: BenchOptions;
}

/** Figures for bench/results/latest.json: plain JSON, one object per scenario. */
export type Figures = Record<string, unknown>;

/** One line of the printed table. */
export interface TableRow {
  metric: string;
  value: string;
}

export interface ScenarioOutcome {
  figures: Figures;
  rows: TableRow[];
}

export interface Scenario {
  name: string;
  /** one line for --help and the table */
  summary: string;
  run(context: ScenarioContext): Promise<ScenarioOutcome>;
}

/** "12.3 ms" style formatting for the table; null prints as "n/a". */
export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${Math.round(value)} ms`;
}

export function num(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}
