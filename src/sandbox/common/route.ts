import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Handler = (req: Request, res: Response) => void | Promise<void>;

/**
 * Registers a handler and remembers its pattern in res.locals.routePattern (stats key "METHOD /pattern"),
 * forwarding async errors to express' error handler. Express exposes req.route only inside the handler,
 * and nested routers rewrite baseUrl, so recording it here is the reliable way. Guards (faults, auth,
 * rate limits) run after the pattern is known, so even refused requests are counted under their route.
 */
export function route(router: Router, method: Method, path: string, handler: Handler, guards: RequestHandler[] = []): void {
  const pattern = `${method.toUpperCase()} ${path}`;
  const remember: RequestHandler = (_req, res, next) => {
    res.locals.routePattern = pattern;
    next();
  };
  router[method](path, remember, ...guards, (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(next);
  });
}

/** The pattern recorded by route(), or undefined when no route matched. */
export function routePatternOf(res: Response): string | undefined {
  const value: unknown = res.locals.routePattern;
  return typeof value === 'string' ? value : undefined;
}

/** Reads a path parameter that express guarantees exists for the matched pattern. */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** Query values given either repeated (?a=x&a=y) or comma-joined (?a=x,y), flattened and de-duplicated. */
export function queryList(req: Request, name: string): string[] {
  const raw: unknown = req.query[name];
  const parts = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out = new Set<string>();
  for (const part of parts) {
    if (typeof part !== 'string') continue;
    for (const piece of part.split(',')) {
      const trimmed = piece.trim();
      if (trimmed) out.add(trimmed);
    }
  }
  return [...out];
}

/** A single query string value (the last one if repeated). */
export function queryString(req: Request, name: string): string | undefined {
  const raw: unknown = req.query[name];
  const value: unknown = Array.isArray(raw) ? raw.at(-1) : raw;
  return typeof value === 'string' ? value : undefined;
}
