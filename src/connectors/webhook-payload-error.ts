import type { z } from 'zod';

/** An inbound webhook/notification body that does not have the documented shape. Answer 400; retrying cannot help. */
export class WebhookPayloadError extends Error {
  constructor(
    what: string,
    readonly issues: z.ZodError,
  ) {
    // Paths and messages only: zod does not echo input values, and these bodies carry personal data.
    super(`${what} is malformed: ${issues.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'WebhookPayloadError';
  }
}
