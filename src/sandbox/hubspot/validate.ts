import type { z } from 'zod';
import { validation } from './errors';

/** Parses a request body with zod; failures become HubSpot-style 400 VALIDATION_ERRORs. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw validation(`Invalid input JSON on body: ${detail}`);
}
