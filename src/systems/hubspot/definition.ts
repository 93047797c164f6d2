import { createHubspotConnector } from '../../connectors/hubspot/connector';
import { HUBSPOT, OBJECT_TYPE } from '../../connectors/hubspot/snapshot';
import { hubspotTokenExchange } from '../../connectors/hubspot/token-exchange';
import { createTokenProvider } from '../../connectors/oauth/token-provider';
import type { SystemDefinition } from '../types';
import { hubspotRecordUrl } from './record-url';
import { hubspotWebhookRoute } from './webhook-route';

/** HubSpot: contacts, companies and deals over its v3 API, changes by signed webhooks. */
export const hubspot = {
  name: HUBSPOT,
  label: 'HubSpot',
  objects: OBJECT_TYPE,
  canMatch: true,
  // Company upserts go by a cross-reference property; names are not unique in HubSpot.
  mergesCompaniesByName: false,
  // A contact matches by email alone, and HubSpot refuses a second contact with an email (409).
  createRefusesMatch: ['contact'],
  createConnector: ({ config, rules, store, observer }) =>
    createHubspotConnector({
      rules,
      basePath: config.hubspot.basePath,
      tokens: createTokenProvider({
        system: HUBSPOT,
        store,
        refreshTokenFromConfig: config.hubspot.refreshToken,
        exchange: hubspotTokenExchange(config.hubspot),
        ...(observer ? { observer } : {}),
      }),
      observer,
      requestsPerTenSeconds: config.hubspot.requestsPerTenSeconds,
      liveShare: config.hubspot.liveShare,
      searchesPerSecond: config.hubspot.searchesPerSecond,
    }),
  activitiesPerSecond: (config) => config.hubspot.activitiesPerSecond,
  ingress: (context) => hubspotWebhookRoute(context),
  recordUrl: (config, object, id) => hubspotRecordUrl(config.hubspot.portalId, object, id),
} satisfies SystemDefinition;
