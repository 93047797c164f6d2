import { z } from 'zod';
import {
  ConflictError,
  type CrmError,
  NotFoundError,
  PermanentCrmError,
  RateLimitedError,
  StaleReadError,
  TransientCrmError,
  ValidationError,
} from '../errors';
import type { ZohoErrorBody } from './schemas';

const RATE_LIMIT_CODES = new Set(['TOO_MANY_REQUESTS', 'RATE_LIMIT_EXCEEDED']);

export function isRateLimitBody(body: ZohoErrorBody | null): boolean {
  return body !== null && (RATE_LIMIT_CODES.has(body.code) || /too many requests/i.test(body.message));
}

const DuplicateDetails = z.looseObject({
  id: z.string().optional(),
  duplicate_record: z.looseObject({ id: z.string().optional() }).optional(),
});

/**
 * Classifies one Zoho error object (a whole request's, or one record's inside `data[]`). `status` is the HTTP
 * status the error came with. Messages name codes and fields, never values (they may be personal data).
 */
export function classifyZohoError(operation: string, status: number, body: ZohoErrorBody, rateLimitDefaultMs: number): CrmError {
  const what = `Zoho ${operation} failed with ${body.code}`;
  const apiName = typeof body.details.api_name === 'string' ? body.details.api_name : undefined;
  if (isRateLimitBody(body)) return new RateLimitedError(what, rateLimitDefaultMs, status);
  switch (body.code) {
    case 'INVALID_DATA':
      // "the id given seems to be invalid" / "invalid record id": the record is not there (any more).
      if (apiName === undefined && body.details.param_name === undefined && ('id' in body.details || 'resource_path_index' in body.details)) {
        return new NotFoundError(what, status);
      }
      return new ValidationError(`${what}${apiName ? ` on ${apiName}` : ''}`, fieldProblems(body), status, body.code);
    case 'MANDATORY_NOT_FOUND':
    case 'DEPENDENT_FIELD_MISSING':
    case 'DEPENDENT_MISMATCH':
      return new ValidationError(`${what}${apiName ? ` on ${apiName}` : ''}`, fieldProblems(body), status, body.code);
    case 'DUPLICATE_DATA': {
      const details = DuplicateDetails.catch({}).parse(body.details);
      return new ConflictError(`${what}${apiName ? ` on ${apiName}` : ''}`, details.id ?? details.duplicate_record?.id, status);
    }
    case 'ALREADY_MODIFIED':
      // Modified after the version the check before the write read: whoever planned the write plans again.
      return new StaleReadError(what, status);
    case 'INTERNAL_ERROR':
    case 'RECORD_LOCKED':
      return new TransientCrmError(what, status);
  }
  if (status >= 500) return new TransientCrmError(what, status);
  if (status === 404) return new NotFoundError(what, status);
  return new PermanentCrmError(`${what}: ${body.message}`, status);
}

function fieldProblems(body: ZohoErrorBody): { field: string; reason: string }[] {
  const apiName = body.details.api_name;
  if (typeof apiName !== 'string') return [];
  const path = typeof body.details.json_path === 'string' ? ` (${body.details.json_path})` : '';
  return [{ field: apiName, reason: `${body.code}: ${body.message}${path}` }];
}
