import { dataPath, type AppConfig } from '../config';
import type { CrmCallObserver, CrmConnector } from '../connectors/types';
import type { SystemName } from '../domain/records';
import { openStore } from '../store';
import type { SyncStore } from '../store/types';
import type { SystemContext, SystemDefinition } from '../systems/types';

/** A registered system with the connector built for this process, and what its task queue runs besides CRM calls. */
export interface ConnectedSystem {
  definition: SystemDefinition;
  connector: CrmConnector;
  extraActivities: object;
}

export interface Services {
  store: SyncStore;
  systems: ConnectedSystem[];
  connectors: Record<SystemName, CrmConnector>;
  close: () => Promise<void>;
}

/** The hub's own state and a connector per registered system, built once per process from config. */
export async function openServices(config: AppConfig, systems: readonly SystemDefinition[], observer?: CrmCallObserver): Promise<Services> {
  const store = await openConfiguredStore(config);
  const services = connectServices(config, systems, store, observer);
  return {
    ...services,
    close: async () => {
      await services.close();
      await store.close();
    },
  };
}

/**
 * The store openServices opens. Apart, so that a process starting several parts opens it beside the others: PGlite's
 * first open of a data directory runs initdb, 3-5 s of this process's CPU while the other parts boot in theirs.
 */
export function openConfiguredStore(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): Promise<SyncStore> {
  return openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : dataPath(config, 'pglite') });
}

/** The connectors over a store the caller opened; `close` closes the connectors, and the store stays the caller's. */
export function connectServices(config: AppConfig, systems: readonly SystemDefinition[], store: SyncStore, observer?: CrmCallObserver): Services {
  const context: SystemContext = { config, rules: config.rules, store, ...(observer ? { observer } : {}) };
  const connected = systems.map((definition) => connectSystem(definition, context));
  return {
    store,
    systems: connected,
    connectors: Object.fromEntries(connected.map(({ definition, connector }) => [definition.name, connector])),
    close: async () => {
      await Promise.all(connected.map(async ({ connector }) => connector.close?.()));
    },
  };
}

/** Builds the connector and hands that same connector to the definition's extra activities. */
function connectSystem<C extends CrmConnector>(definition: SystemDefinition<C>, context: SystemContext): ConnectedSystem {
  const connector = definition.createConnector(context);
  return { definition, connector, extraActivities: definition.extraActivities?.(connector, context.config) ?? {} };
}
