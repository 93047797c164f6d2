import { createHash, createHmac } from 'node:crypto';
import type { FaultState } from '../common/faults';
import type { SimStats } from '../common/stats';
import { retryUnlessClientError, WebhookQueue, type OutboundRequest } from '../common/webhook-queue';
import type { HubspotSimulatorOptions } from './options';
import type { HubspotEvent } from './webhook-events';

const USER_AGENT = 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client) - WebhooksExecutorDaemon-executor';

/**
 * HubSpot decodes these escapes in the URI before signing v3 (third-party account of the spec; UNCONFIRMED).
 * Target URLs without escapes, the usual case, are signed exactly as configured.
 */
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};
export function v3Uri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => V3_DECODED[escape.toUpperCase()] ?? escape);
}

/** v3: HMAC-SHA256 (key = client secret) over method + URI + body + timestamp, base64. */
export function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`).digest('base64');
}

/** v1: SHA-256 hex of client secret + body; still sent alongside v3 for CRM object events. */
export function signatureV1(secret: string, body: string): string {
  return createHash('sha256').update(`${secret}${body}`).digest('hex');
}

export function renderDelivery(options: HubspotSimulatorOptions, events: readonly HubspotEvent[], attempt: number, url: string): OutboundRequest {
  const body = JSON.stringify(events.map((event) => ({ ...event, attemptNumber: attempt })));
  const timestamp = Date.now();
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature-v3': signatureV3(options.clientSecret, 'POST', v3Uri(url), body, timestamp),
      'X-HubSpot-Signature': signatureV1(options.clientSecret, body),
      'X-HubSpot-Signature-Version': 'v1',
      'X-HubSpot-Timeout-Millis': String(options.webhook.timeoutMs),
    },
  };
}

export function createWebhookQueue(options: HubspotSimulatorOptions, faults: FaultState, stats: SimStats, random?: () => number): WebhookQueue<HubspotEvent> {
  const hook = options.webhook;
  return new WebhookQueue<HubspotEvent>({
    // Getters, so changes to sim.options.webhook apply to a running simulator.
    target: () => hook.targetUrl,
    get batchDelayMs() {
      return hook.batchDelayMs;
    },
    get maxBatchSize() {
      return hook.maxBatchSize;
    },
    get timeoutMs() {
      return hook.timeoutMs;
    },
    get maxAttempts() {
      return hook.maxAttempts;
    },
    get backoffBaseMs() {
      return hook.backoffBaseMs;
    },
    get backoffMaxMs() {
      return hook.backoffMaxMs;
    },
    get maxConcurrentRequests() {
      return hook.maxConcurrentRequests;
    },
    render: (events, attempt, url) => renderDelivery(options, events, attempt, url),
    // 429 and 5xx always retry; other 4xx beyond HubSpot's no-retry list only when configured to.
    isRetryable: (status) => retryUnlessClientError(status) && (hook.retryOtherClientErrors || status === 429 || status >= 500 || status < 400),
    faults: () => {
      const current = faults.get();
      return { duplicateRate: current.webhookDuplicateRate, reorder: current.webhookReorder, dropRate: current.webhookDropRate };
    },
    counters: stats,
    ...(random ? { random } : {}),
  });
}
