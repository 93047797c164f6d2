import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopInReverse } from '../../src/runtime/stop-in-reverse';

/**
 * How a chaos scenario sees the system under test: where the simulators and the API listen, and the parts it may kill
 * and start again. The simulators stand for the remote CRMs, so they are never a part: they keep running (and keep
 * retrying their deliveries) whatever is killed.
 */
/** 'app': the whole `npm start` process group (the npm-start topology) */
export type Part = 'worker' | 'api' | 'temporal' | 'store' | 'broker' | 'app';

export interface TopologyUrls {
  hubspot: string;
  zoho: string;
  /** the shop simulator, when the topology runs the shop */
  shop?: string;
  /** every API process (the CRMs deliver to the first, or to whatever balances between them) */
  api: string[];
}

export interface Topology {
  readonly name: string;
  readonly urls: TopologyUrls;
  /** the Temporal frontend and namespace the product runs on (to read histories as evidence) */
  readonly temporal: { address: string; namespace: string };
  /** how many processes of each part run; a part absent here cannot be killed in this topology */
  readonly parts: Partial<Record<Part, number>>;
  /**
   * Stops a part as a crash would (SIGKILL, or PostgreSQL's immediate shutdown): no goodbye, nothing flushed.
   * `instance` picks one of several processes (0-based); without it every instance goes. Resolves once it is gone.
   */
  kill(part: Part, instance?: number): Promise<void>;
  /** Starts what kill() stopped, on the same ports and state; resolves once it serves again. */
  start(part: Part, instance?: number): Promise<void>;
  /** Stops everything and removes its state. */
  close(): Promise<void>;
}

export interface TopologyOptions {
  /** product configuration on top of the topology's own, as environment variables (e.g. RECONCILE_INTERVAL) */
  env: Record<string, string>;
  /** the shop simulator and its broker too (off by default: the suite's load is HubSpot and Zoho) */
  shop?: boolean;
}

export interface TopologyDefinition {
  name: string;
  summary: string;
  /** starts every part (fresh state, free ports) and resolves once the product is ready to sync */
  launch(options: TopologyOptions): Promise<Topology>;
}

/**
 * Launches a topology in a scratch folder of its own. `build` pushes onto `stops` how to stop each part as it starts
 * it; closing the topology, or a failure while building it, stops them all, the last started first, and removes the
 * folder: a run must never leave a process behind.
 */
export async function launchInScratchDir(
  prefix: string,
  build: (dir: string, stops: (() => Promise<void>)[]) => Promise<Omit<Topology, 'close'>>,
): Promise<Topology> {
  const stops: (() => Promise<void>)[] = [];
  const close = () => stopInReverse(stops).catch(() => undefined);
  try {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { ...(await build(dir, stops)), close };
  } catch (error) {
    await close();
    throw error;
  }
}
