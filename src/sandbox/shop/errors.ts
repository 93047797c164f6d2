import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';

export type ErrorCode = 'unauthorized' | 'not_found' | 'invalid_request' | 'conflict' | 'unavailable' | 'internal';

/** An error the shop answers with; `field` says which input was wrong where there is one. */
export class ShopError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string): ShopError => new ShopError(404, 'not_found', `${what} not found`);
export const invalid = (message: string, field?: string): ShopError => new ShopError(400, 'invalid_request', message, field);
export const conflict = (message: string, field?: string): ShopError => new ShopError(409, 'conflict', message, field);

/** The zod issues as the contract's `errors` list (also used for rejected commands). */
export function problemsOf(error: unknown): Array<{ field?: string; message: string }> {
  if (error instanceof ZodError) return error.issues.map((issue) => ({ field: issue.path.join('.') || undefined, message: issue.message }));
  if (error instanceof ShopError) return [{ field: error.field, message: error.message }];
  return [{ message: error instanceof Error ? error.message : String(error) }];
}

export function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Express error handler: the contract's error body for every failure. */
export function errorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof ShopError) sendError(res, error.status, error.code, error.message);
  else if (error instanceof ZodError) sendError(res, 400, 'invalid_request', problemsOf(error).map((p) => `${p.field ?? 'body'}: ${p.message}`).join('; '));
  else if (error instanceof SyntaxError) sendError(res, 400, 'invalid_request', 'Body is not valid JSON');
  else sendError(res, 500, 'internal', error instanceof Error ? error.message : String(error));
}
