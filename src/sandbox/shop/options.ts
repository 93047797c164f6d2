export interface ShopTopology {
  /** Topic exchange of the shop's events (routing key = event type). */
  eventsExchange: string;
  /** Topic exchange crm-sync publishes commands to. */
  commandsExchange: string;
  /** Topic exchange of the shop's replies to commands. */
  repliesExchange: string;
  /** The shop's own quorum queue of commands. */
  commandQueue: string;
  /** Its quorum queue of initial-load commands (`load.*.upsert`), taken only after the live one. */
  loadCommandQueue: string;
}

export interface ShopSimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The broker, e.g. amqp://guest:guest@127.0.0.1:5672. */
  amqpUrl: string;
  /**
   * Prepended to every exchange and queue name, so that several simulators (test files) can share one broker without
   * hearing each other. Empty by default: the names of docs/shop-contract.asyncapi.yaml.
   */
  namePrefix: string;
  /** CloudEvents `source` of everything the shop sends. */
  source: string;
  /** Bearer token the read API expects. */
  apiKey: string;
  /** First ids per collection; distinct ranges make id mix-ups visible in tests. */
  firstId: { users: number; businesses: number; purchases: number };
  /** With the eventReorder fault on, events collected over this window are published newest first. */
  reorderWindowMs: number;
  /** Largest `limit` of a list call. */
  listMaxLimit: number;
  /** Largest `ids` list of a batch get. */
  batchMaxIds: number;
  /** Seed for the fault dice; unset uses Math.random. */
  randomSeed?: number;
  /** Waits this long for the broker at start before giving up. */
  connectTimeoutMs: number;
  /** Keeps the records here across restarts (loaded at start, written shortly after each change and on close). */
  snapshotFile?: string;
}

export type ShopSimulatorInput = Partial<Omit<ShopSimulatorOptions, 'firstId'>> & {
  amqpUrl: string;
  firstId?: Partial<ShopSimulatorOptions['firstId']>;
};

export const DEFAULT_OPTIONS: Omit<ShopSimulatorOptions, 'amqpUrl'> = {
  host: '127.0.0.1',
  port: 3103,
  namePrefix: '',
  source: 'urn:shop:sandbox',
  apiKey: 'sandbox-shop-key',
  firstId: { users: 100_001, businesses: 200_001, purchases: 300_001 },
  reorderWindowMs: 200,
  listMaxLimit: 500,
  batchMaxIds: 100,
  connectTimeoutMs: 15_000,
};

export function resolveOptions(input: ShopSimulatorInput): ShopSimulatorOptions {
  return { ...DEFAULT_OPTIONS, ...input, firstId: { ...DEFAULT_OPTIONS.firstId, ...input.firstId } };
}

export function topology(options: ShopSimulatorOptions): ShopTopology {
  const p = options.namePrefix;
  return {
    eventsExchange: `${p}shop.events`,
    commandsExchange: `${p}shop.commands`,
    repliesExchange: `${p}shop.replies`,
    commandQueue: `${p}shop.command-inbox`,
    loadCommandQueue: `${p}shop.command-load-inbox`,
  };
}
