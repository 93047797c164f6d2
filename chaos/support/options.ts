import { join } from 'node:path';
import type { LoadSettings } from './run-scenario';

/** `npm run chaos -- [scenario…] [--flag=value…]` */
export interface ChaosOptions extends LoadSettings {
  scenarios: string[];
  topology: string;
  /** where to write the results (default chaos/results/latest.json, whose table also goes into docs/RELIABILITY.md) */
  resultsFile: string | null;
}

export const DEFAULT_SETTINGS: LoadSettings = {
  loadSeconds: 90,
  poolSize: 100,
  // a busy person in both CRMs: the rate the measurements used
  ratePerSecond: 4,
  convergeSeconds: 120,
  createEvery: 20,
  evidenceDir: join(__dirname, '..', 'results', 'evidence'),
};

const NUMERIC: Record<string, Exclude<keyof LoadSettings, 'evidenceDir'>> = {
  seconds: 'loadSeconds',
  pool: 'poolSize',
  rate: 'ratePerSecond',
  'converge-seconds': 'convergeSeconds',
  'create-every': 'createEvery',
};

export function usage(scenarios: readonly { name: string; summary: string }[], topologies: readonly string[]): string {
  const flags = Object.entries(NUMERIC).map(([flag, key]) => `  --${flag}=${DEFAULT_SETTINGS[key]}`);
  return [
    `usage: npm run chaos -- [scenario…] [flags]`,
    `scenarios (default: all):`,
    ...scenarios.map((s) => `  ${s.name.padEnd(18)} ${s.summary}`),
    `flags (defaults shown):`,
    ...flags,
    `  --topology=${topologies.join('|')}`,
    `  --results=chaos/results/latest.json`,
    '',
  ].join('\n');
}

export function parseOptions(argv: readonly string[], scenarioNames: readonly string[], topologies: readonly string[]): ChaosOptions {
  const options: ChaosOptions = { ...DEFAULT_SETTINGS, scenarios: [], topology: topologies[0] ?? 'split', resultsFile: null };
  for (const arg of argv) {
    const flag = /^--([a-z-]+)=(.+)$/.exec(arg);
    if (flag) {
      const [, name = '', value = ''] = flag;
      if (name === 'results') options.resultsFile = value;
      else if (name === 'topology') {
        if (!topologies.includes(value)) throw new Error(`unknown topology "${value}" (${topologies.join(', ')})`);
        options.topology = value;
      } else {
        const key = NUMERIC[name];
        if (!key) throw new Error(`unknown flag ${arg}`);
        const number = Number(value);
        if (!Number.isFinite(number) || number <= 0) throw new Error(`${arg}: expected a positive number`);
        options[key] = number;
      }
      continue;
    }
    if (!scenarioNames.includes(arg)) throw new Error(`unknown scenario "${arg}" (${scenarioNames.join(', ')})`);
    options.scenarios.push(arg);
  }
  if (options.scenarios.length === 0) options.scenarios = [...scenarioNames];
  return options;
}
