import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRabbitNode, type RabbitNode } from '../../src/sandbox/broker/rabbitmq-node';
import { progress } from './progress';

let node: Promise<RabbitNode> | null = null;
let dir: string | null = null;

/**
 * The broker the shop scenarios talk on: AMQP_URL when given, else one private RabbitMQ node for the whole run,
 * started on first use (booting one takes seconds, and the other scenarios need none). Each shop stack keeps to its
 * own exchange and queue names, so one node serves them all.
 */
export async function benchAmqpUrl(): Promise<string> {
  const given = process.env.AMQP_URL;
  if (given) return given;
  if (!node) {
    progress('starting a private RabbitMQ node for the shop scenarios');
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-bench-rabbitmq-'));
    node = startRabbitNode({ dir, name: `crmsync-bench-${process.pid}`, path: process.env.PATH ?? '' });
  }
  return (await node).url;
}

/** Stops the node benchAmqpUrl started, if any, and removes its files. */
export async function stopBenchBroker(): Promise<void> {
  const started = node;
  node = null;
  if (started) await (await started.catch(() => null))?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}
