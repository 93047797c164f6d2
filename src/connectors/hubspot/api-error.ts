import { z } from 'zod';
import {
  ConflictError,
  CrmError,
  NotFoundError,
  PermanentCrmError,
  RateLimitedError,
  TransientCrmError,
  ValidationError,
  type FieldProblem,
} from '../errors';

/**
 * What @hubspot/api-client throws for a non-2xx answer. Each generated API area has its own ApiException class, so
 * it is recognised by shape, not by instanceof. In 13.x the body has been passed through the generated `Error`
 * model, which keeps category/message/context/errors but drops unknown keys such as `policyName`.
 */
export const HubspotApiException = z.object({
  code: z.number().int(),
  body: z.unknown(),
  headers: z.record(z.string(), z.string()).catch({}),
});
export type HubspotApiException = z.infer<typeof HubspotApiException>;

export const HubspotErrorBody = z
  .object({
    message: z.string().catch(''),
    category: z.string().optional(),
    policyName: z.string().optional(),
    context: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
    errors: z
      .array(
        z.object({
          message: z.string().catch(''),
          code: z.string().optional(),
          in: z.string().optional(),
          context: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
        }),
      )
      .optional()
      .catch(undefined),
  })
  .catch({ message: '' });
export type HubspotErrorBody = z.infer<typeof HubspotErrorBody>;

export interface RateLimitDefaults {
  /** Wait after a 429 whose policy is unknown (neither ten-secondly, secondly nor daily). */
  unknownPolicyMs: number;
  /** Wait after a DAILY 429; HubSpot's reset time is not published (UNCONFIRMED), so this is a guess. */
  dailyMs: number;
}

export const DEFAULT_RATE_LIMIT_DEFAULTS: RateLimitDefaults = { unknownPolicyMs: 10_000, dailyMs: 3_600_000 };

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNABORTED']);

/** Maps anything the HubSpot client threw onto the typed CRM errors. Never copies tokens or headers into messages. */
export function toHubspotCrmError(error: unknown, operation: string, limits: RateLimitDefaults): CrmError {
  if (error instanceof CrmError) return error;
  const api = HubspotApiException.safeParse(error);
  if (!api.success) return networkOrUnknown(error, operation);
  const { code, headers } = api.data;
  const body = HubspotErrorBody.parse(api.data.body);
  const what = `HubSpot ${operation} answered ${code}${body.category ? ` ${body.category}` : ''}`;
  if (code === 429) return new RateLimitedError(`${what}: ${body.message}`, retryAfterMs(body, headers, limits));
  if (code >= 500) return new TransientCrmError(what, code);
  if (code === 404) return new NotFoundError(what, code);
  const existingId = existingIdOf(body.message);
  // A taken unique value: a 409 naming the holder (emails), or for hasUniqueValue properties a 400 "already has that
  // value" that names no record (third-party reports); the caller then looks the holder up by its unique keys.
  if (code === 409 || (code === 400 && (existingId !== undefined || UNIQUE_VALUE_TAKEN.test(body.message)))) {
    return new ConflictError(`${what}: ${body.message}`, existingId, code);
  }
  if (code === 400 && body.category === 'VALIDATION_ERROR') {
    // HubSpot's message often quotes the rejected value (an email address): name the fields instead.
    const problems = fieldProblemsOf(body);
    const fields = problems.map((problem) => problem.field).join(', ') || 'unknown fields';
    return new ValidationError(`${what}: invalid ${fields}`, problems, code, body.category);
  }
  return new PermanentCrmError(`${what}: ${body.message}`, code);
}

function networkOrUnknown(error: unknown, operation: string): CrmError {
  const parsed = z.object({ name: z.string().optional(), code: z.string().optional(), message: z.string() }).safeParse(error);
  if (!parsed.success) return new TransientCrmError(`HubSpot ${operation} failed`);
  const { name, code, message } = parsed.data;
  // node-fetch FetchError, a destroyed socket, or an unparseable body from a proxy in front of HubSpot.
  if (name === 'FetchError' || (code !== undefined && NETWORK_CODES.has(code)) || message.startsWith('Cannot parse content')) {
    return new TransientCrmError(`HubSpot ${operation} failed: ${code ?? name ?? 'network error'}`);
  }
  return new PermanentCrmError(`HubSpot ${operation} failed unexpectedly: ${message}`);
}

/** Maps one entry of a batch response's `errors` (a 207) like a whole-request error. */
export function batchErrorToCrmError(operation: string, error: unknown): CrmError {
  const body = HubspotErrorBody.parse(error);
  // Batch errors carry a category, not an HTTP status; 422 stands for "some other refusal" (→ permanent).
  const code = body.category === 'CONFLICT' ? 409 : body.category === 'OBJECT_NOT_FOUND' ? 404 : body.category === 'VALIDATION_ERROR' ? 400 : 422;
  return toHubspotCrmError({ code, body, headers: {} }, operation, DEFAULT_RATE_LIMIT_DEFAULTS);
}

const UNIQUE_VALUE_TAKEN = /already has that value/i;

/** "Contact already exists. Existing ID: 37765128953" is the only place HubSpot names the existing record. */
export function existingIdOf(message: string): string | undefined {
  return /Existing ID:\s*(\d+)/i.exec(message)?.[1];
}

/** HubSpot embeds the per-property verdicts as JSON inside the message: "Property values were not valid: [...]". */
const PropertyVerdicts = z.array(z.object({ name: z.string(), error: z.string().optional(), message: z.string().optional() }));

function fieldProblemsOf(body: HubspotErrorBody): FieldProblem[] {
  const problems: FieldProblem[] = (body.errors ?? []).map((detail) => ({
    field: detail.context?.propertyName?.[0] ?? detail.in ?? 'unknown',
    reason: detail.code ?? detail.message,
  }));
  if (problems.length > 0) return problems;
  const embedded = /Property values were not valid:\s*(\[[\s\S]*\])\s*$/.exec(body.message)?.[1];
  if (embedded !== undefined) {
    const verdicts = PropertyVerdicts.safeParse(safeJson(embedded));
    if (verdicts.success) return verdicts.data.map((v) => ({ field: v.name, reason: v.error ?? v.message ?? 'invalid' }));
  }
  const names = body.context?.propertyName ?? body.context?.properties ?? [];
  return names.map((field) => ({ field, reason: body.category ?? 'invalid' }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function policyOf(body: HubspotErrorBody): 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY' | undefined {
  const policy = body.policyName?.toUpperCase();
  if (policy === 'TEN_SECONDLY_ROLLING' || policy === 'SECONDLY' || policy === 'DAILY') return policy;
  // 13.x drops policyName from the body; the message names the policy too.
  const message = body.message.toLowerCase();
  if (message.includes('ten_secondly')) return 'TEN_SECONDLY_ROLLING';
  if (message.includes('secondly limit')) return 'SECONDLY';
  if (message.includes('daily')) return 'DAILY';
  return undefined;
}

function retryAfterMs(body: HubspotErrorBody, headers: Record<string, string>, limits: RateLimitDefaults): number {
  const header = (name: string): number | undefined => {
    const value = Number(headers[name.toLowerCase()]);
    return Number.isFinite(value) && headers[name.toLowerCase()] !== undefined ? value : undefined;
  };
  const retryAfterSeconds = header('Retry-After');
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) return retryAfterSeconds * 1000;
  switch (policyOf(body)) {
    case 'SECONDLY':
      return 1000;
    case 'DAILY':
      return limits.dailyMs;
    case 'TEN_SECONDLY_ROLLING': {
      // The window is rolling: once a full interval has passed every counted call has aged out.
      const interval = header('X-HubSpot-RateLimit-Interval-Milliseconds') ?? 10_000;
      return Math.max(1, Math.min(interval, 10_000));
    }
    default:
      return limits.unknownPolicyMs;
  }
}
