import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { progress } from '../../bench/support/progress';
import { workflowIdFor } from '../../src/domain/records';
import { awaitConvergence } from './converge';
import { crmAdmins } from './crm-state';
import { runLoad, seedPool } from './load';
import { saveHistories } from './evidence';
import { isClean, lostFieldCount, Oracle, type CrmSnapshot, type Verdict } from './oracle';
import type { ChaosScenario, FaultContext, FaultOutcome } from './scenario';
import type { TopologyDefinition } from './topology';

export interface LoadSettings {
  loadSeconds: number;
  poolSize: number;
  ratePerSecond: number;
  /** bound of the wait for every field to hold its last edit, from the moment the fault cleared and the load ended */
  convergeSeconds: number;
  /** one change in this many is a create */
  createEvery: number;
  /** where the histories behind a failed verdict are saved */
  evidenceDir: string;
}

/** The product configuration every scenario runs with (a scenario adds its own on top). */
export const SUITE_ENV: Record<string, string> = {
  // short, so that what no event brings (a Zoho notification given up on while the API was down) is caught in a run
  RECONCILE_INTERVAL: '30s',
};

/** The figures of one scenario, as written to chaos/results/latest.json. */
export interface ScenarioFigures {
  topology: string;
  passed: boolean;
  loadSeconds: number;
  /** changes the load made through the person-facing routes (the pool's creates before it not counted) */
  changes: number;
  edits: number;
  creates: number;
  /** changes a simulator refused through its person-facing route (not counted as made) */
  refusedChanges: number;
  lostUpdates: number;
  duplicates: number;
  missingRecords: number;
  /** ms from the fault clearing (and the load ending) until every record held its last edits; null: not within the bound */
  convergenceMs: number | null;
  acceptedWhileTemporalDown: number | null;
  hostile5xx: number | null;
  details: Record<string, number | string>;
  /** the records that failed the oracle, with the workflows to read */
  evidence: Evidence[];
}

export interface Evidence {
  problem: 'lost update' | 'duplicate' | 'missing';
  email: string;
  system: string;
  field?: string;
  expected?: string;
  actual?: string | null;
  recordIds: string[];
  workflowIds: string[];
}

const openTopologies = new Set<() => Promise<void>>();

/** Ctrl-C: stops whatever topology runs (its parts are child processes that would otherwise linger). */
export async function closeOpenTopologies(): Promise<void> {
  await Promise.all([...openTopologies].map((close) => close()));
}

/**
 * One scenario on a fresh topology: a linked pool first, then the load with the fault beside it, then the wait for
 * convergence and the oracle's verdict.
 */
export async function runScenario(scenario: ChaosScenario, topologyDefinition: TopologyDefinition, settings: LoadSettings): Promise<ScenarioFigures> {
  const label = `${scenario.name}-${Date.now().toString(36)}`;
  progress(`  starting the ${topologyDefinition.name} topology`);
  // known to the harness, so that it can read the histories behind a failed verdict through the API's codec server
  const adminToken = randomBytes(24).toString('hex');
  const topology = await topologyDefinition.launch({ env: { ...SUITE_ENV, ADMIN_TOKEN: adminToken, ...scenario.env }, ...scenario.topology });
  const close = () => topology.close();
  openTopologies.add(close);
  try {
    const missingParts = scenario.needs.filter((part) => !topology.parts[part]);
    if (missingParts.length) throw new Error(`the ${topology.name} topology cannot kill ${missingParts.join(', ')}`);
    const admins = crmAdmins(topology.urls);
    const oracle = new Oracle();
    progress(`  seeding a pool of ${settings.poolSize} linked contacts`);
    const pool = await seedPool(admins, oracle, { size: settings.poolSize, label, timeoutMs: 180_000 });

    progress(`  ${settings.loadSeconds} s of edits at ${settings.ratePerSecond}/s with the fault`);
    const loadMs = settings.loadSeconds * 1000;
    let running = true;
    let loadEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (loadEnded = resolve));
    const load = runLoad(admins, oracle, { pool, ratePerSecond: settings.ratePerSecond, durationMs: loadMs, label, createEvery: settings.createEvery }).finally(() => {
      running = false;
      loadEnded();
    });
    const context: FaultContext = {
      topology,
      admins,
      oracle,
      adminToken,
      loadMs,
      loadRunning: () => running,
      pause: async (ms) => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
        clearTimeout(timer);
        return running;
      },
      cleared: (at) => markCleared(at),
      log: (line) => progress(`    ${line}`),
    };
    let markCleared: (at: number) => void = () => undefined;
    const clearedEarly = new Promise<number>((resolve) => (markCleared = resolve));
    const faultRun = scenario.fault(context);
    const converging = Promise.all([load, Promise.race([clearedEarly, faultRun.then((outcome) => outcome.clearedAt)])]).then(([loaded, clearedAt]) => {
      progress(`  waiting up to ${settings.convergeSeconds} s for every field to hold its last edit`);
      return awaitConvergence(admins, oracle, Math.max(loaded.endedAt, clearedAt), settings.convergeSeconds * 1000);
    });
    const [loaded, fault, converged] = await Promise.allSettled([load, faultRun, converging]);
    if (loaded.status === 'rejected') throw loaded.reason;
    if (fault.status === 'rejected') throw fault.reason;
    if (converged.status === 'rejected') throw converged.reason;
    const outcome: FaultOutcome = fault.value;
    const convergence = converged.value;
    const figures: ScenarioFigures = {
      topology: topology.name,
      passed: false,
      loadSeconds: settings.loadSeconds,
      changes: loaded.value.edits + loaded.value.creates,
      edits: loaded.value.edits,
      creates: loaded.value.creates,
      refusedChanges: loaded.value.failed,
      lostUpdates: lostFieldCount(convergence.verdict),
      duplicates: convergence.verdict.duplicates.length,
      missingRecords: convergence.verdict.missing.length,
      convergenceMs: convergence.convergedAfterMs,
      acceptedWhileTemporalDown: outcome.figures?.acceptedWhileTemporalDown ?? null,
      hostile5xx: outcome.figures?.hostile5xx ?? null,
      details: outcome.details ?? {},
      evidence: evidenceOf(convergence.verdict, convergence.snapshot),
    };
    figures.passed = isClean(convergence.verdict) && !figures.acceptedWhileTemporalDown && !figures.hostile5xx;
    if (!figures.passed) {
      const workflowIds = [...new Set(figures.evidence.flatMap((e) => e.workflowIds))].slice(0, 40);
      const saved = await saveHistories(topology, adminToken, workflowIds, join(settings.evidenceDir, label));
      if (saved.length) progress(`  ${saved.length} histories saved under ${join(settings.evidenceDir, label)}`);
    }
    return figures;
  } finally {
    progress(`  stopping the topology`);
    await close();
    openTopologies.delete(close);
  }
}

/** What failed, with every record of the e-mail in both CRMs and their record workflows (the pair's other side matters). */
function evidenceOf(verdict: Verdict, snapshot: CrmSnapshot): Evidence[] {
  const recordsOf = (email: string) =>
    (['hubspot', 'zoho'] as const).flatMap((system) => snapshot[system].filter((r) => r.email?.toLowerCase() === email).map((r) => ({ system, id: r.id })));
  const about = (email: string) => {
    const records = recordsOf(email);
    return { recordIds: records.map((r) => `${r.system}:${r.id}`), workflowIds: records.map((r) => workflowIdFor({ system: r.system, object: 'contact', id: r.id })) };
  };
  return [
    ...verdict.lostUpdates.map((lost): Evidence => ({ problem: 'lost update', email: lost.email, system: lost.system, field: lost.field, expected: lost.expected, actual: lost.actual, ...about(lost.email) })),
    ...verdict.duplicates.map((dup): Evidence => ({ problem: 'duplicate', email: dup.email, system: dup.system, ...about(dup.email) })),
    ...verdict.missing.map((missing): Evidence => ({ problem: 'missing', email: missing.email, system: missing.system, ...about(missing.email) })),
  ];
}
