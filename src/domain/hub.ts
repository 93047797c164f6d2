import type { SyncRules } from './schema/sync-rules';
import type { CrmObject, SystemName } from './records';

/** What the workflows know of a registered system: enough to route calls and plan, nothing that does I/O. */
export interface HubSystem {
  name: SystemName;
  /** canonical objects it holds */
  objects: CrmObject[];
  /** it can find a record by match keys (email; domain, name) */
  canMatch: boolean;
  /** creating a company whose name another company has lands on that one (Zoho's duplicate check on Account_Name) */
  mergesCompaniesByName: boolean;
  /** objects a create here refuses (a conflict) when a match would have found a record: a contact's email in HubSpot */
  createRefusesMatch?: CrmObject[];
  /** written by commands answered later (the shop): the pass sends, then waits for the reply signal */
  writesByCommand?: boolean;
}

export function hubSystem(settings: HubSettings, name: SystemName): HubSystem | undefined {
  return settings.systems.find((system) => system.name === name);
}

/** The registry and the rules as plain JSON: handed to workflow code, where the merge and the plan run. */
export interface HubSettings {
  rules: SyncRules;
  systems: HubSystem[];
  /** how long a pass waits for the answer to a command (writesByCommand) before it looks for the record itself */
  commandReplyTimeoutMs?: number;
}

/** The systems that hold `object`, in the rules' priority order (systems the priority list omits come last). */
export function systemsHolding(settings: HubSettings, object: CrmObject): SystemName[] {
  const holding = settings.systems.filter((system) => system.objects.includes(object)).map((system) => system.name);
  const rank = (name: SystemName) => {
    const index = settings.rules.priority.indexOf(name);
    return index === -1 ? settings.rules.priority.length : index;
  };
  return holding.sort((a, b) => rank(a) - rank(b));
}
