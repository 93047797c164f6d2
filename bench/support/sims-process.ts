import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { HubspotSimulatorInput } from '../../src/sandbox/hubspot';
import type { ZohoSimulatorOptions } from '../../src/sandbox/zoho';
import { REPO_ROOT, TSX } from '../../test/support/child-process';

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

/** How sims-main.ts announces that it listens: this, then the URLs as JSON, on one line. */
export const READY_PREFIX = 'bench-sims-ready ';

export interface BenchSimsProcess extends BenchSimsReady {
  /** SIGTERM, then waits for the simulators to close (their webhook queues drain or are dropped) */
  close(): Promise<void>;
}

/** Starts bench/support/sims-main.ts and resolves with its simulators' URLs once they listen. */
export function startSimsProcess(input: BenchSimsInput, timeoutMs = 60_000): Promise<BenchSimsProcess> {
  const child = spawn(TSX, [join(__dirname, 'sims-main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_SIMS: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let output = '';
  return new Promise<BenchSimsProcess>((resolve, reject) => {
    const timer = setTimeout(() => void close().then(() => reject(new Error(`the simulators did not start in ${timeoutMs} ms:\n${output}`))), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((text) => text.startsWith(READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      resolve({ ...(JSON.parse(line.slice(READY_PREFIX.length)) as BenchSimsReady), close });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the simulators' process ended before they listened:\n${output}`));
    });
  });
}
