import type { PayloadCodec } from '@temporalio/common';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { bearerTokenChecker } from '../runtime/bearer-token';
import { CodecRequestBody, payloadFromJson, payloadToJson, PayloadJsonError } from './payload-json';

export interface CodecRouterOptions {
  codec: PayloadCodec;
  /** Required on every POST as `Authorization: Bearer <token>` (CLI: `--codec-auth "Bearer <token>"`). */
  bearerToken: string;
  /** Exact origins of Web UIs allowed to call from a browser, e.g. `http://localhost:8233`. */
  allowedOrigins: string[];
  /** Body size cap; a Web UI page of history can carry many payloads. */
  bodyLimit?: string;
  logger?: Logger;
}

const ALLOWED_HEADERS = 'x-namespace, content-type, authorization';
const ALLOWED_METHODS = 'POST, OPTIONS';

/**
 * Codec server endpoints: POST /codec/decode and /codec/encode. Point the Web UI's codec endpoint (or
 * `temporal --codec-endpoint`) at `<api base>/codec`; both append /decode or /encode themselves.
 */
export function createCodecRouter(options: CodecRouterOptions): Router {
  const router = Router();
  const origins = new Set(options.allowedOrigins);
  const checkToken = bearerTokenChecker(options.bearerToken);

  router.use('/codec', (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    const allowed = origin !== undefined && origins.has(origin);
    res.vary('Origin');
    if (allowed) {
      res.set('Access-Control-Allow-Origin', origin);
      // Lets the UI's "Include cross-origin credentials" option work.
      res.set('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') {
      // Browsers never attach credentials to a preflight, so it must be answered before the auth check.
      if (!allowed) {
        res.status(403).json({ error: 'origin not allowed' });
        return;
      }
      res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (!checkToken(req.get('authorization'))) {
      res.status(401).json({ error: 'missing or invalid bearer token' });
      return;
    }
    next();
  });

  router.use('/codec', express.json({ limit: options.bodyLimit ?? '16mb' }));
  // body-parser reports malformed or oversized bodies as errors; answer them in JSON like every other refusal.
  router.use('/codec', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status === undefined) {
      next(error);
      return;
    }
    res.status(status).json({ error: error instanceof Error ? error.message : 'bad request' });
  });

  const handle = (direction: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const body = CodecRequestBody.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: 'expected {"payloads":[{"metadata":{...},"data":"<base64>"}]}' });
      return;
    }
    try {
      const payloads = body.data.payloads.map((payload, index) => payloadFromJson(payload, index));
      const result = await options.codec[direction](payloads);
      res.json({ payloads: result.map(payloadToJson) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Bad input (undecodable base64, unknown key, failed authentication) is the caller's problem: 400/422.
      const status = error instanceof PayloadJsonError ? 400 : 422;
      options.logger?.warn({ direction, err: message, namespace: req.get('x-namespace') }, 'codec request failed');
      res.status(status).json({ error: message });
    }
  };

  router.post('/codec/decode', handle('decode'));
  router.post('/codec/encode', handle('encode'));
  return router;
}

/** Compares digests so the check takes the same time whatever prefix of the token a caller guessed. */
function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
