/** Drives the simulators' admin routes as a person (or a test) would. */
export interface SimRecord {
  id: string;
  [key: string]: unknown;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
  archived?: boolean;
  /** with `?associations=true` */
  associations?: { contacts: string[]; companies: string[]; deals: string[] };
  /** with `?history=`: newest first, as the API's propertiesWithHistory */
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: string; sourceType: string }>>;
}

type HubspotObject = 'contacts' | 'companies' | 'deals';

export function hubspotAdmin(url: string) {
  return {
    create: (object: HubspotObject, properties: Record<string, string>) => call<HubspotRecord>('POST', `${url}/_sim/ui/${object}`, { properties }),
    /** `userId`: the person editing (the webhook's sourceId), when not the simulator's one UI user. */
    update: (object: HubspotObject, id: string, properties: Record<string, string>, userId?: number) =>
      call<HubspotRecord>('PATCH', `${url}/_sim/ui/${object}/${id}`, userId === undefined ? { properties } : { properties, userId }),
    remove: (object: HubspotObject, id: string) => call<void>('DELETE', `${url}/_sim/ui/${object}/${id}`),
    merge: (object: HubspotObject, primaryObjectId: string, objectIdToMerge: string) =>
      call<HubspotRecord>('POST', `${url}/_sim/ui/${object}/merge`, { primaryObjectId, objectIdToMerge }),
    records: (object: HubspotObject, history: string[] = []) =>
      call<HubspotRecord[]>('GET', `${url}/_sim/records/${object}${history.length > 0 ? `?history=${history.join(',')}` : ''}`),
    withAssociations: (object: HubspotObject) => call<HubspotRecord[]>('GET', `${url}/_sim/records/${object}?associations=true`),
    stats: () => call<SimStats>('GET', `${url}/_sim/stats`),
    resetStats: () => call<void>('POST', `${url}/_sim/stats/reset`),
    faults: (faults: Record<string, unknown>) => call<void>('POST', `${url}/_sim/faults`, faults),
    clearFaults: () => call<void>('DELETE', `${url}/_sim/faults`),
    expireTokens: () => call<void>('POST', `${url}/_sim/oauth/expire-tokens`),
  };
}

export type ZohoRecord = SimRecord & Record<string, unknown>;

export function zohoAdmin(url: string) {
  return {
    create: (module: 'Contacts' | 'Accounts', fields: Record<string, unknown>) => call<ZohoRecord>('POST', `${url}/_sim/ui/${module}`, { data: [fields] }),
    update: (module: 'Contacts' | 'Accounts', id: string, fields: Record<string, unknown>) => call<ZohoRecord>('PATCH', `${url}/_sim/ui/${module}/${id}`, { data: [fields] }),
    remove: (module: 'Contacts' | 'Accounts', id: string) => call<void>('DELETE', `${url}/_sim/ui/${module}/${id}`),
    records: (module: 'Contacts' | 'Accounts') => call<ZohoRecord[]>('GET', `${url}/_sim/records/${module}`),
    stats: () => call<SimStats>('GET', `${url}/_sim/stats`),
    resetStats: () => call<void>('POST', `${url}/_sim/stats/reset`),
    faults: (faults: Record<string, unknown>) => call<void>('POST', `${url}/_sim/faults`, faults),
    clearFaults: () => call<void>('DELETE', `${url}/_sim/faults`),
    expireTokens: () => call<void>('POST', `${url}/_sim/oauth/expire-tokens`),
  };
}

export interface SimStats {
  requests: { total: number; byRoute: Record<string, number> };
  writes: number;
  status: Record<string, number>;
  tokensIssued: number;
  webhooks: { delivered: number; failed: number; retried: number; dropped: number; queued: number };
}

/** Requests per name since the simulator's last stats reset, each name counting the route, or the routes, it is given. */
export async function routeCounts<Name extends string>(
  admin: { stats: () => Promise<SimStats> },
  routes: Record<Name, string | readonly string[]>,
): Promise<Record<Name, number>> {
  const { byRoute } = (await admin.stats()).requests;
  const count = (named: string | readonly string[]) => [named].flat().reduce((sum, route) => sum + (byRoute[route] ?? 0), 0);
  return Object.fromEntries(Object.entries<string | readonly string[]>(routes).map(([name, named]) => [name, count(named)])) as Record<Name, number>;
}
