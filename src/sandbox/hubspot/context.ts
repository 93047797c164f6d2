import { MonotonicClock } from '../common/clock';
import { FaultState } from '../common/faults';
import type { SnapshotWriter } from '../common/snapshot-writer';
import { SimStats } from '../common/stats';
import type { WebhookQueue } from '../common/webhook-queue';
import { AssociationStore } from './association-store';
import { perType, type ObjectType } from './object-types';
import type { HubspotSimulatorOptions } from './options';
import { PropertyRegistry } from './properties';
import { HubspotRateLimits } from './rate-limit';
import { SearchIndex } from './search-index';
import { RecordStore } from './store';
import { TokenStore } from './tokens';
import { WebhookEventFactory, type HubspotEvent } from './webhook-events';
import { createWebhookQueue } from './webhooks';
import { mulberry32 } from '../common/seeded-random';

/** Everything one simulator instance holds; routes receive it instead of reaching for globals. */
export interface SimContext {
  options: HubspotSimulatorOptions;
  clock: MonotonicClock;
  registry: PropertyRegistry;
  stores: Record<ObjectType, RecordStore>;
  search: Record<ObjectType, SearchIndex>;
  associations: AssociationStore;
  tokens: TokenStore;
  limits: HubspotRateLimits;
  stats: SimStats;
  faults: FaultState;
  events: WebhookEventFactory;
  webhooks: WebhookQueue<HubspotEvent>;
  /** Keeps `options.snapshotFile` current; null without one (set by createHubspotSimulator). */
  snapshots: SnapshotWriter | null;
}

export function createContext(options: HubspotSimulatorOptions): SimContext {
  const random = options.randomSeed === undefined ? undefined : mulberry32(options.randomSeed);
  const clock = new MonotonicClock();
  const registry = new PropertyRegistry();
  const stores = perType((type) => new RecordStore(type, options.firstId[type], clock, () => registry.uniqueNames(type)));
  const delay = (): number => options.searchIndexDelayMs;
  const search = perType(() => new SearchIndex(delay));
  const associations = new AssociationStore();
  const stats = new SimStats();
  const faults = new FaultState(random);
  const events = new WebhookEventFactory(() => options, registry);
  const webhooks = createWebhookQueue(options, faults, stats, random);

  for (const store of Object.values(stores)) {
    store.onChange((change) => {
      search[change.type].record(change);
      // A merge archives a second record: it leaves the search index as a deletion would.
      if (change.kind === 'merged') search[change.type].record({ ...change, record: change.merged });
      webhooks.enqueue(events.fromRecord(change));
    });
  }
  associations.onChange((change) => webhooks.enqueue(events.fromAssociation(change, clock.next())));

  return {
    options,
    clock,
    registry,
    stores,
    search,
    associations,
    tokens: new TokenStore(options.refreshToken),
    limits: new HubspotRateLimits(options.rateLimit),
    stats,
    faults,
    events,
    webhooks,
    snapshots: null,
  };
}

/** POST /_sim/reset: data, custom properties, limits, faults, stats and pending webhooks. Tokens stay valid. */
export function resetContext(ctx: SimContext): void {
  for (const store of Object.values(ctx.stores)) store.clear();
  for (const index of Object.values(ctx.search)) index.clear();
  ctx.associations.clear();
  ctx.registry.reset();
  ctx.limits.reset();
  ctx.faults.clear();
  ctx.webhooks.clear();
  ctx.stats.reset();
}
