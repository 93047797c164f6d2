import type { Connection } from 'rabbitmq-client';
import { MonotonicClock } from '../common/clock';
import { FakeData } from '../common/fake-data';
import { SnapshotWriter } from '../common/snapshot-writer';
import { SimStats } from '../common/stats';
import { changeEvent, laneKey, type Lane } from './cloud-events';
import { ShopFaults } from './faults';
import { topology, type ShopSimulatorOptions, type ShopTopology } from './options';
import { Outbox } from './outbox';
import type { RecordMeta } from './records';
import { ShopData } from './shop-data';
import { snapshotBody } from './snapshot';
import { MessageStats } from './stats';

/** Everything one simulator instance holds; routes and the command consumer receive it instead of globals. */
export interface ShopContext {
  options: ShopSimulatorOptions;
  names: ShopTopology;
  data: ShopData;
  faults: ShopFaults;
  http: SimStats;
  messages: MessageStats;
  outbox: Outbox;
  /** Keeps `options.snapshotFile` current; null without one. */
  snapshots: SnapshotWriter | null;
  /** Runs `apply` with the changes it makes announced on `lane` (a load command's events go out as `load.*`). */
  inLane<T>(lane: Lane, apply: () => T): T;
}

/** Changes that come in a burst share one write. */
const SNAPSHOT_DELAY_MS = 200;

export function createContext(options: ShopSimulatorOptions, rabbit: Connection): ShopContext {
  const names = topology(options);
  const random = options.randomSeed === undefined ? Math.random : new FakeData(options.randomSeed).random;
  const data = new ShopData(options, new MonotonicClock());
  const faults = new ShopFaults(random);
  const messages = new MessageStats();
  const exchanges = [names.eventsExchange, names.repliesExchange].map((exchange) => ({ exchange, type: 'topic', durable: true }));
  const publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1, exchanges });
  const outbox = new Outbox(publisher, faults, messages, options.reorderWindowMs);
  // ShopData calls its listeners synchronously, inside the write: the lane set around a command covers exactly its changes.
  let lane: Lane = 'live';
  data.onChange((change) => {
    const event = changeEvent(options.source, change);
    outbox.event({ exchange: names.eventsExchange, routingKey: laneKey(lane, event.type), event });
  });
  const inLane = <T>(next: Lane, apply: () => T): T => {
    lane = next;
    try {
      return apply();
    } finally {
      lane = 'live';
    }
  };
  const file = options.snapshotFile;
  const snapshots = file ? new SnapshotWriter(file, () => snapshotBody(data), () => SNAPSHOT_DELAY_MS) : null;
  if (snapshots) data.onChange(() => snapshots.changed());
  return { options, names, data, faults, http: new SimStats(), messages, outbox, snapshots, inLane };
}

/** POST /_sim/reset: records, id sequences, faults, stats and unsent events. */
export function resetContext(ctx: ShopContext): void {
  for (const table of Object.values(ctx.data.tables)) table.clear();
  ctx.faults.clear();
  ctx.http.reset();
  ctx.messages.reset();
  ctx.outbox.clear();
}

/** A record as the read API shows it (deletion is not part of it: deleted records answer 404). */
export function publicRecord<T extends RecordMeta>(record: T): Omit<T, 'deleted_at'> {
  const { deleted_at: _deleted, ...rest } = record;
  return rest;
}
