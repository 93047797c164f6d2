import { createWatchActivities } from '../../activities/watch-activities';
import { createTokenProvider } from '../../connectors/oauth/token-provider';
import { createZohoConnector, type ZohoConnector } from '../../connectors/zoho/connector';
import { MODULE, ZOHO } from '../../connectors/zoho/snapshot';
import { zohoTokenExchange } from '../../connectors/zoho/token-exchange';
import type { SystemDefinition } from '../types';
import { zohoNotificationRoute } from './notification-route';
import { zohoRecordUrl } from './record-url';
import { ensureZohoWatch, zohoWatchPending, zohoWatchRenewal } from './watch-start';

/** Zoho CRM: Contacts and Accounts over its v8 API, changes by a notification channel that must be renewed weekly. */
export const zoho = {
  name: ZOHO,
  label: 'Zoho',
  objects: MODULE,
  canMatch: true,
  // Upsert's last duplicate check is Account_Name (SYSTEM_DUPLICATE_FIELD).
  mergesCompaniesByName: true,
  createConnector: ({ config, rules, store, observer }) =>
    createZohoConnector({
      rules,
      apiBaseUrl: config.zoho.apiBaseUrl,
      tokens: createTokenProvider({
        system: ZOHO,
        store,
        refreshTokenFromConfig: config.zoho.refreshToken,
        exchange: zohoTokenExchange(config.zoho),
        ...(observer ? { observer } : {}),
      }),
      observer,
    }),
  activitiesPerSecond: (config) => config.zoho.activitiesPerSecond,
  extraActivities: (connector: ZohoConnector, config) => createWatchActivities(zohoWatchRenewal(connector, config)),
  ingress: (context) => zohoNotificationRoute(context),
  prepare: (client, config) => ensureZohoWatch(client, config),
  prepared: (client, config) => zohoWatchPending(client, config),
  recordUrl: (_config, object, id) => zohoRecordUrl(object, id),
} satisfies SystemDefinition<ZohoConnector>;
