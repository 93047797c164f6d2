import type { HubSettings } from '../../../src/domain/hub';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';

/** What the worker hands workflows for the default registry (HubSpot and Zoho) and the default rules. */
export const DEFAULT_HUB_SETTINGS: HubSettings = {
  rules: DEFAULT_SYNC_RULES,
  systems: [
    { name: 'hubspot', objects: ['contact', 'company'], canMatch: true, mergesCompaniesByName: false },
    { name: 'zoho', objects: ['contact', 'company'], canMatch: true, mergesCompaniesByName: true },
  ],
};

/** The same with the shop on, as the registry projects it (HubSpot holds deals too). */
export const SHOP_HUB_SETTINGS: HubSettings = {
  rules: DEFAULT_SYNC_RULES,
  systems: [
    { name: 'hubspot', objects: ['contact', 'company', 'deal'], canMatch: true, mergesCompaniesByName: false },
    { name: 'zoho', objects: ['contact', 'company'], canMatch: true, mergesCompaniesByName: true },
    { name: 'shop', objects: ['contact', 'company', 'deal'], canMatch: true, mergesCompaniesByName: false, writesByCommand: true },
  ],
};
