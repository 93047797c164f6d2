import { ApplicationFailure } from '@temporalio/common';
import { CrmError, RateLimitedError, ValidationError } from '../connectors/errors';
import { StaleRevisionError } from '../store/types';
import { aroundEach, type ActivityFunctions } from './around-each';

/** Failure types the workflows branch on. */
export const FAILURE_TYPES = {
  validation: 'ValidationError',
  staleRevision: 'StaleRevisionError',
  notFound: 'NotFoundError',
  staleRead: 'StaleReadError',
} as const;

export interface FailureDetails {
  category: string;
  fields: { field: string; reason: string }[];
  status?: number;
  /** the write refused (namingOperation) */
  operation?: 'create' | 'update' | 'delete';
}

/**
 * The one place where a typed error becomes a Temporal failure: permanent errors are non-retryable (the workflow
 * marks the record failed), rate limits wait as long as the CRM said, everything else retries with backoff.
 * `operation`: the write refused, named in the details (namingOperation).
 */
export function toApplicationFailure(error: unknown, operation?: FailureDetails['operation']): Error {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof StaleRevisionError) {
    return ApplicationFailure.create({ type: FAILURE_TYPES.staleRevision, message: error.message, nonRetryable: true });
  }
  if (!(error instanceof CrmError)) return error instanceof Error ? error : new Error(String(error));
  const details: FailureDetails = {
    category: error.category,
    fields: error instanceof ValidationError ? error.fields : [],
    status: error.status,
    ...(operation ? { operation } : {}),
  };
  if (error instanceof RateLimitedError) {
    return ApplicationFailure.create({
      type: error.name,
      message: error.message,
      details: [details],
      nextRetryDelay: Math.max(error.retryAfterMs, 100),
    });
  }
  return ApplicationFailure.create({
    type: error.name,
    message: error.message,
    details: [details],
    nonRetryable: !error.retryable,
  });
}

/**
 * A write's failure names its operation in its details: a local activity's failure reaches the workflow as the
 * activity's own error, without the activity's name, and the failure report says which operation was refused.
 */
export async function namingOperation<T>(operation: FailureDetails['operation'], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApplicationFailure(error, operation);
  }
}

/** Wraps every function of an activity object so that thrown errors are classified. */
export function classifyErrors<T extends ActivityFunctions>(activities: T): T {
  return aroundEach(activities, async (call) => {
    try {
      return await call();
    } catch (error) {
      throw toApplicationFailure(error);
    }
  });
}

