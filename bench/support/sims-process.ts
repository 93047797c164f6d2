import { join } from 'node:path';
import type { HubspotSimulatorInput } from '../../src/sandbox/hubspot';
import type { ZohoSimulatorOptions } from '../../src/sandbox/zoho';
import { startChildProcess } from '../../src/runtime/child-process';

/** What the bench asks of its simulators: the profile's limits, where webhooks go, the shop's broker if any. */
export interface BenchSimsInput {
  hubspot: HubspotSimulatorInput;
  zoho: Partial<ZohoSimulatorOptions>;
  shop?: { amqpUrl: string; namePrefix: string };
}

export interface BenchSimsReady {
  hubspotUrl: string;
  zohoUrl: string;
  shopUrl?: string;
}

export interface BenchSimsProcess extends BenchSimsReady {
  /** closes the channel, then waits for the simulators to close (their webhook queues drain or are dropped) */
  close(): Promise<void>;
}

/** Starts bench/support/sims-main.ts and resolves with its simulators' URLs once they listen. */
export async function startSimsProcess(input: BenchSimsInput): Promise<BenchSimsProcess> {
  const child = await startChildProcess<BenchSimsReady>(join(__dirname, 'sims-main.ts'), {
    name: "the bench's simulators",
    env: { ...process.env, BENCH_SIMS: JSON.stringify(input) },
  });
  return { ...child.ready, close: child.close };
}
