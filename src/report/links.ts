import type { RecordRef } from '../domain/records';
import type { ReportSystem } from './types';

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** How the report names a record, and where a person opens it in its system (null when that cannot be built). */
export function recordLinkOf(ref: RecordRef, systems: readonly ReportSystem[]): { label: string; url: string | null } {
  const system = systems.find((candidate) => candidate.name === ref.system);
  return { label: `${system?.label ?? ref.system} ${ref.object} ${ref.id}`, url: system?.recordUrl?.(ref.object, ref.id) ?? null };
}

export function workflowUrl(webUiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${trimSlash(webUiBaseUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Web UI's workflow list filtered by a visibility query, e.g. every record whose sync failed. */
export function workflowListUrl(webUiBaseUrl: string, namespace: string, query: string): string {
  return `${trimSlash(webUiBaseUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
