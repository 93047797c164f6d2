/** The shop simulator's /_sim routes and read API as a test drives them; fails loudly on an unexpected status. */
export function shopClient(url: string, apiKey = 'sandbox-shop-key') {
  const call = async <T>(method: string, path: string, body?: unknown, expected = [200, 201, 204]): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return {
    call,
    /** Raw response, for status assertions. */
    raw: (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${apiKey}` }) =>
      fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }),
    create: <T = ShopRecord>(collection: string, body: unknown) => call<T>('POST', `/_sim/ui/${collection}`, body),
    update: <T = ShopRecord>(collection: string, id: string, body: unknown) => call<T>('PATCH', `/_sim/ui/${collection}/${id}`, body),
    remove: (collection: string, id: string) => call<void>('DELETE', `/_sim/ui/${collection}/${id}`),
    records: <T = ShopRecord>(collection: string) => call<T[]>('GET', `/_sim/records/${collection}`),
    reset: () => call<void>('POST', '/_sim/reset'),
    seed: (body: unknown) => call<Record<string, number>>('POST', '/_sim/seed', body),
    faults: (body: unknown) => call<Record<string, unknown>>('POST', '/_sim/faults', body),
    stats: () => call<ShopStats>('GET', '/_sim/stats'),
  };
}

export interface ShopRecord {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  external_ids: Record<string, string>;
  deleted_at?: string | null;
  [field: string]: unknown;
}

export interface ShopStats {
  requests: { total: number; byRoute: Record<string, number> };
  status: Record<string, number>;
  writes: number;
  events: { published: number; duplicated: number; dropped: number; delayed: number };
  commands: { received: number; applied: number; rejected: number };
  replies: { sent: number; dropped: number };
}
