import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logs on stderr's sibling stdout. Redaction is a safety net; the real rule is that record values, tokens and
 * secrets are never passed to the logger in the first place.
 */
export function createLogger(level: string, name = 'crm-sync'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.accessToken', '*.refreshToken', '*.access_token', '*.refresh_token', '*.authorization', '*.password', '*.token', '*.email'],
      censor: '[redacted]',
    },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
