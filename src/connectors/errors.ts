/**
 * Errors a connector throws, classified where they happen so that Temporal (not us) owns retries.
 * `toActivityFailure` in src/activities maps them onto ApplicationFailure.
 */
import type { FieldProblem } from '../domain/field-problem';

export type CrmErrorCategory = 'transient' | 'rate_limited' | 'auth' | 'validation' | 'not_found' | 'conflict' | 'stale' | 'permanent';

export type { FieldProblem } from '../domain/field-problem';

export abstract class CrmError extends Error {
  abstract readonly category: CrmErrorCategory;
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Network error, timeout, 5xx: try again with backoff. */
export class TransientCrmError extends CrmError {
  readonly category = 'transient';
  readonly retryable = true;
}

/** 429 or a quota: try again after `retryAfterMs`. */
export class RateLimitedError extends CrmError {
  readonly category = 'rate_limited';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    status = 429,
  ) {
    super(message, status);
  }
}

/** 401 after a forced token refresh, or a refresh token that was refused. */
export class AuthError extends CrmError {
  readonly category = 'auth';
  readonly retryable = true;
}

/** The CRM (or our own validation) refused the data: retrying the same data cannot succeed. */
export class ValidationError extends CrmError {
  readonly category = 'validation';
  readonly retryable = false;
  constructor(
    message: string,
    readonly fields: FieldProblem[] = [],
    status?: number,
    readonly code?: string,
  ) {
    super(message, status);
  }
}

/** The record does not exist (or is archived). */
export class NotFoundError extends CrmError {
  readonly category = 'not_found';
  readonly retryable = false;
}

/**
 * A write refused before it was sent: a person changed a field it was about to write since the plan read it. Not
 * retried as is: whoever planned the write plans again from fresh reads.
 */
export class StaleReadError extends CrmError {
  readonly category = 'stale';
  readonly retryable = false;
}

/** A unique key is taken by `existingId` (HubSpot 409, Zoho DUPLICATE_DATA). */
export class ConflictError extends CrmError {
  readonly category = 'conflict';
  readonly retryable = false;
  constructor(
    message: string,
    readonly existingId: string | undefined,
    status?: number,
  ) {
    super(message, status);
  }
}

/** Any other 4xx: a bug or a configuration problem, not fixed by waiting. */
export class PermanentCrmError extends CrmError {
  readonly category = 'permanent';
  readonly retryable = false;
}

/**
 * The system takes writes only as commands on a message broker (the shop): a connector write is a wiring mistake
 * that no retry can fix.
 */
export class WrittenByCommandError extends PermanentCrmError {}
