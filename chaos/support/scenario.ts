import type { CrmAdmins } from './crm-state';
import type { Oracle } from './oracle';
import type { Part, Topology, TopologyOptions } from './topology';

/** What a scenario's fault is handed while the load runs. */
export interface FaultContext {
  topology: Topology;
  admins: CrmAdmins;
  /** for a fault that makes changes of its own (in the shop): what they imply for the CRMs */
  oracle: Oracle;
  /** the admin token the product runs with (codec server, metrics) */
  adminToken: string;
  /** how long the load runs in all */
  loadMs: number;
  /** true while the load runs: a repeated fault stops once it turns false */
  loadRunning(): boolean;
  /** waits `ms`, or less if the load ends first; resolves with whether the load still runs */
  pause(ms: number): Promise<boolean>;
  /**
   * The fault is over at `at` (epoch ms), though the scenario goes on measuring something else (a burst's own
   * records): the wait for convergence starts now, beside it, instead of after it.
   */
  cleared(at: number): void;
  log(line: string): void;
}

/** Figures of the suite that only some scenarios measure; the others report null. */
export interface FaultFigures {
  /** webhook deliveries answered 2xx by the API while Temporal was down (accepted, then possibly lost) */
  acceptedWhileTemporalDown?: number;
  /** 5xx answered to hostile bodies and headers */
  hostile5xx?: number;
}

export interface FaultOutcome {
  /** when the fault last cleared (epoch ms); convergence is timed from this or the load's end, whichever is later */
  clearedAt: number;
  figures?: FaultFigures;
  /** anything else the scenario counted, for the results file (e.g. kills made) */
  details?: Record<string, number | string>;
}

export interface ChaosScenario {
  name: string;
  /** one line for --help, the table and docs/RELIABILITY.md */
  summary: string;
  /** the parts the topology must be able to kill and start */
  needs: readonly Part[];
  /** product configuration the scenario needs on top of the suite's */
  env?: Record<string, string>;
  /** topology options on top of the suite's (e.g. the shop) */
  topology?: Partial<Omit<TopologyOptions, 'env'>>;
  /** Injects the fault while the load runs and clears it before the load ends (or right after). */
  fault(context: FaultContext): Promise<FaultOutcome>;
}

/** A pause drawn between `min` and `max` ms, so repeated faults do not land in step with the load. */
export function between(min: number, max: number): number {
  return min + Math.random() * (max - min);
}
