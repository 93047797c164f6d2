import type { HubspotSimulator } from '../../../src/sandbox/hubspot';

export interface Failure {
  code: number | undefined;
  body: unknown;
}

/** The ApiException an SDK call threw (its HTTP status and parsed body); fails the test if the call succeeded. */
export async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error) {
      const body = 'body' in error ? error.body : undefined;
      return { code: typeof error.code === 'number' ? error.code : undefined, body };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A JSON request to an unauthenticated /_sim route. */
export function simRequest(sim: HubspotSimulator, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function simJson<T>(sim: HubspotSimulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await simRequest(sim, method, path, body);
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
