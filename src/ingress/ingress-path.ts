import type { SystemName } from '../domain/records';

/** Where the API mounts a system's ingress: the URL a system is told to deliver its notifications to. */
export function ingressPath(system: SystemName): string {
  return `/webhooks/${system}`;
}

export function ingressUrl(publicUrl: string, system: SystemName): string {
  return `${publicUrl}${ingressPath(system)}`;
}
