import type { SyncRules } from '../config/sync-rules';
import type { SyncStore } from '../store/types';
import { createHubspotConnector } from './hubspot/connector';
import { hubspotTokenExchange } from './hubspot/token-exchange';
import { createTokenProvider } from './oauth/token-provider';
import type { CrmCallObserver, CrmConnector } from './types';
import { createZohoConnector, type ZohoConnector } from './zoho/connector';
import { zohoTokenExchange } from './zoho/token-exchange';

export interface ConnectorsConfig {
  rules: SyncRules;
  hubspot: {
    basePath: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    /** Our app id; webhook events whose sourceId names it are our own writes (used by the webhook handler). */
    appId: string;
    timeoutMs?: number;
    requestsPerTenSeconds?: number;
  };
  zoho: {
    apiBaseUrl: string;
    accountsUrl: string;
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    timeoutMs?: number;
    rateLimitDefaultMs?: number;
  };
  store: Pick<SyncStore, 'getToken' | 'withTokenLock'>;
  observer?: CrmCallObserver;
  /** Refresh access tokens this long before they expire (default 5 minutes). */
  refreshSkewMs?: number;
}

export interface Connectors {
  hubspot: CrmConnector;
  zoho: ZohoConnector;
}

/** Both connectors over one token store: the composition root's single entry point into src/connectors. */
export function createConnectors(config: ConnectorsConfig): Connectors {
  const { rules, store, observer, refreshSkewMs } = config;
  const hubspotTokens = createTokenProvider({
    system: 'hubspot',
    store,
    refreshTokenFromConfig: config.hubspot.refreshToken,
    exchange: hubspotTokenExchange(config.hubspot),
    ...(refreshSkewMs !== undefined ? { refreshSkewMs } : {}),
    ...(observer ? { observer } : {}),
  });
  const zohoTokens = createTokenProvider({
    system: 'zoho',
    store,
    refreshTokenFromConfig: config.zoho.refreshToken,
    exchange: zohoTokenExchange(config.zoho),
    ...(refreshSkewMs !== undefined ? { refreshSkewMs } : {}),
    ...(observer ? { observer } : {}),
  });
  return {
    hubspot: createHubspotConnector({ rules, basePath: config.hubspot.basePath, tokens: hubspotTokens, observer, timeoutMs: config.hubspot.timeoutMs, requestsPerTenSeconds: config.hubspot.requestsPerTenSeconds }),
    zoho: createZohoConnector({
      rules,
      apiBaseUrl: config.zoho.apiBaseUrl,
      tokens: zohoTokens,
      observer,
      timeoutMs: config.zoho.timeoutMs,
      rateLimitDefaultMs: config.zoho.rateLimitDefaultMs,
    }),
  };
}

export type { BatchCreateInput, BatchOutcome, BatchUpdateInput, CrmConnector, CrmCallObserver, ListFilter, ListPage, ListPageRequest, RecordLinks } from './types';
export { BATCH_LIMIT } from './types';
export type { ZohoConnector } from './zoho/connector';
export type { EnableWatchInput } from './zoho/watch';
export { createTokenProvider, type TokenProvider } from './oauth/token-provider';
export { parseHubspotEvents, verifyHubspotSignature, type HubspotEvent } from './hubspot/webhook';
export { parseZohoNotification, verifyZohoChannelToken, type ZohoNotification } from './zoho/notification';
export { WebhookPayloadError } from './webhook-payload-error';
