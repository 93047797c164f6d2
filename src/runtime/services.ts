import { dataPath, type AppConfig } from '../config';
import { createConnectors, type Connectors } from '../connectors';
import type { CrmCallObserver } from '../connectors/types';
import { openStore } from '../store';
import type { SyncStore } from '../store/types';

export interface Services {
  store: SyncStore;
  connectors: Connectors;
  close: () => Promise<void>;
}

/** The connector's own state and its CRM clients, built once per process from config. */
export async function openServices(config: AppConfig, observer?: CrmCallObserver): Promise<Services> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : dataPath(config, 'pglite') });
  const connectors = createConnectors({
    rules: config.rules,
    store,
    observer,
    hubspot: {
      basePath: config.hubspot.basePath,
      clientId: config.hubspot.clientId,
      clientSecret: config.hubspot.clientSecret,
      refreshToken: config.hubspot.refreshToken,
      appId: config.hubspot.appId,
      requestsPerTenSeconds: config.hubspot.requestsPerTenSeconds,
    },
    zoho: {
      apiBaseUrl: config.zoho.apiBaseUrl,
      accountsUrl: config.zoho.accountsUrl,
      clientId: config.zoho.clientId,
      clientSecret: config.zoho.clientSecret,
      refreshToken: config.zoho.refreshToken,
    },
  });
  return { store, connectors, close: async () => store.close() };
}
