import { type NextFunction, type Request, type Response, Router } from 'express';

/**
 * A router that only names the route a request will hit (res.locals.routePattern, the stats key) and
 * then leaves. Mounted before authentication and limits, so requests those reject (401, 429, faults)
 * are still counted under their route instead of "(unmatched)". Built from the real router's routes.
 */
export function routeLabeler(real: Router): Router {
  const labeler = Router();
  for (const layer of real.stack) {
    const route = layer.route;
    if (!route) continue;
    const methods = new Set(route.stack.map((l) => l.method.toUpperCase()));
    const path = route.path;
    labeler.all(path, (req: Request, res: Response, next: NextFunction) => {
      if (!methods.has(req.method)) {
        next();
        return;
      }
      res.locals.routePattern ??= `${req.method} ${path}`;
      next('router');
    });
  }
  return labeler;
}
