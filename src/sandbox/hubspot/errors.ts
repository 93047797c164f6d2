import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export type ErrorCategory =
  | 'OBJECT_NOT_FOUND'
  | 'VALIDATION_ERROR'
  | 'CONFLICT'
  | 'OBJECT_ALREADY_EXISTS'
  | 'RATE_LIMITS'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: ErrorCategory;
  context?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** Thrown by handlers; rendered by errorHandler with HubSpot's error envelope. */
export interface ErrorExtra {
  context?: Record<string, string[]>;
  [field: string]: unknown;
}

export class HubspotError extends Error {
  constructor(
    readonly status: number,
    readonly category: ErrorCategory,
    message: string,
    readonly extra: ErrorExtra = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { status: 'error', message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

/** HubSpot sends JSON with this exact media type on errors; the SDK refuses to parse errors without one. */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json;charset=utf-8');
  res.end(JSON.stringify(body));
}

export function sendError(res: Response, error: HubspotError): void {
  sendJson(res, error.status, error.body(), { 'x-hubspot-correlation-id': randomUUID(), ...error.headers });
}

export const notFound = (id: string): HubspotError =>
  new HubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });

export const validation = (message: string, extra: ErrorExtra = {}): HubspotError =>
  new HubspotError(400, 'VALIDATION_ERROR', message, extra);

export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

/** The "Property values were not valid: [...]" 400 HubSpot returns for bad property input (e.g. INVALID_EMAIL). */
export function invalidProperties(problems: PropertyProblem[]): HubspotError {
  const details = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    ...(p.error === 'PROPERTY_DOESNT_EXIST' ? { localizedErrorMessage: p.message } : {}),
  }));
  return validation(`Property values were not valid: ${JSON.stringify(details)}`);
}

/** Renders thrown errors; malformed JSON becomes a VALIDATION_ERROR like HubSpot's. */
export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (err instanceof HubspotError) {
    sendError(res, err);
    return;
  }
  if (err instanceof SyntaxError || (err instanceof Error && 'type' in err && err.type === 'entity.parse.failed')) {
    sendError(res, validation(`Invalid input JSON: ${err.message}`));
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendError(res, new HubspotError(500, 'INTERNAL_ERROR', `internal error: ${message}`));
}

export function routeNotFound(req: Request, res: Response): void {
  sendError(res, new HubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find a route for ${req.method} ${req.path}`));
}
