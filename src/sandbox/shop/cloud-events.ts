import { randomUUID } from 'node:crypto';
import { ENTITY, type Change } from './records';

/** A CloudEvents 1.0 event in structured JSON mode (the body of every message, see docs/shop-contract.asyncapi.yaml). */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  correlationid?: string;
  data: Record<string, unknown>;
}

export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/**
 * Live traffic, or an initial load's: a load command comes routed `load.<type>`, and its reply and the events about
 * what it changed go out the same way (the body's `type` stays `<type>`), so the sender's live queues never hold them.
 */
export type Lane = 'live' | 'load';

export function laneKey(lane: Lane, type: string): string {
  return lane === 'load' ? `load.${type}` : type;
}

/** The thin event for a change: id, version and updated_at; consumers fetch the rest. */
export function changeEvent(source: string, change: Change): CloudEvent {
  const { record } = change;
  return {
    specversion: '1.0',
    id: randomUUID(),
    source,
    type: `${ENTITY[change.collection]}.${change.kind}`,
    time: new Date().toISOString(),
    subject: `${change.collection}/${record.id}`,
    datacontenttype: 'application/json',
    data: { id: record.id, version: record.version, updated_at: record.updated_at },
  };
}

export function replyEvent(source: string, type: string, correlationId: string, subject: string | undefined, data: Record<string, unknown>): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source,
    type,
    time: new Date().toISOString(),
    ...(subject === undefined ? {} : { subject }),
    datacontenttype: 'application/json',
    correlationid: correlationId,
    data,
  };
}
