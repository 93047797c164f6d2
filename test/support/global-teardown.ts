import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RabbitNode } from '../../src/sandbox/broker/rabbitmq-node';
import type { DevServer } from '../../src/temporal/dev-server';
import { TEST_STATE_DIR } from './paths';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __temporalServer?: DevServer; __rabbitNode?: RabbitNode };
  await Promise.all([state.__temporalServer?.stop(), state.__rabbitNode?.stop()]);
  if (state.__rabbitNode) rmSync(join(TEST_STATE_DIR, `rabbitmq-${process.pid}`), { recursive: true, force: true });
}
