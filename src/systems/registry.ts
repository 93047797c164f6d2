import { ConfigError, type AppConfig } from '../config';
import { CRM_OBJECTS, type CrmObject, type SystemName } from '../domain/records';
import type { HubSystem } from '../domain/hub';
import type { ReportSystem } from '../report/types';
import { systemsNamedIn, type SyncRules } from '../domain/schema/sync-rules';
import { hubspot } from './hubspot/definition';
import type { SystemDefinition } from './types';
import { shop } from './shop/definition';
import { zoho } from './zoho/definition';

/**
 * The one place that lists the systems. Entry points (worker, API, npm start, CLI) pass the enabled ones on;
 * everything else takes the list as a parameter, so a test can register a system of its own.
 */
export const SYSTEMS = [hubspot, zoho, shop] as const satisfies readonly SystemDefinition[];

/** The systems this configuration syncs: a system that needs settings of its own (the shop) is off without them. */
export function enabledSystems(config: AppConfig, systems: readonly SystemDefinition[] = SYSTEMS): SystemDefinition[] {
  return systems.filter((system) => system.enabled?.(config) ?? true);
}

/** What workflow code knows of each system (plain JSON, handed to workflows as part of HubSettings). */
export function hubSystems(systems: readonly SystemDefinition[]): HubSystem[] {
  return systems.map((system) => ({
    name: system.name,
    objects: objectsOf(system),
    canMatch: system.canMatch,
    mergesCompaniesByName: system.mergesCompaniesByName,
    ...(system.writesByCommand ? { writesByCommand: true } : {}),
    ...(system.createRefusesMatch ? { createRefusesMatch: [...system.createRefusesMatch] } : {}),
  }));
}

export function objectsOf(system: SystemDefinition): CrmObject[] {
  return CRM_OBJECTS.filter((object) => system.objects[object] !== undefined);
}

export class UnknownSystemError extends Error {
  constructor(readonly system: string, readonly registered: readonly SystemName[]) {
    super(`unknown system "${system}"; registered systems: ${registered.join(', ')}`);
    this.name = 'UnknownSystemError';
  }
}

/** The registered system of that name; throws UnknownSystemError naming the registered ones. */
export function systemNamed(systems: readonly SystemDefinition[], name: string): SystemDefinition {
  const found = systems.find((system) => system.name === name);
  if (!found) throw new UnknownSystemError(name, systems.map((system) => system.name));
  return found;
}

/**
 * Every system the rules name must be known: a typo in the rules file stops start-up instead of syncing nowhere. A
 * built-in system that is off (the shop without its settings) may be named; the rules about it wait until it is on.
 */
export function checkRulesAgainst(systems: readonly SystemDefinition[], rules: SyncRules): void {
  const registered = [...new Set([...SYSTEMS, ...systems].map((system) => system.name))];
  const unknown = systemsNamedIn(rules).filter((name) => !registered.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((name) => `sync rules name the system "${name}", which is not registered (registered systems: ${registered.join(', ')})`));
  }
}

/** How the failure report names each system's records and links to them. */
export function reportSystems(systems: readonly SystemDefinition[], config: AppConfig): ReportSystem[] {
  return systems.map((system) => ({ name: system.name, label: system.label, recordUrl: (object, id) => system.recordUrl?.(config, object, id) ?? null }));
}
