import express, { type Express, type NextFunction, type Request, type Response, Router } from 'express';
import { FaultState, faultMiddleware } from '../common/faults';
import type { RollingWindow } from '../common/rolling-window';
import { SnapshotWriter, snapshotMiddleware } from '../common/snapshot-writer';
import { SimStats, statsMiddleware } from '../common/stats';
import { registerAdminRoutes } from './admin-routes';
import { authMiddleware } from './auth';
import type { ZohoContext } from './context';
import { registerCoqlRoutes } from './coql';
import { ZohoData } from './data';
import { INTERNAL_ERROR, ZohoHttpError, errors, zohoError } from './errors';
import { registerFieldsRoutes } from './fields-routes';
import { ApiLimits, rateLimitBody } from './limits';
import { Notifier } from './notifier';
import { createTokenThrottle, registerOauthRoutes } from './oauth';
import type { ZohoSimulatorOptions } from './options';
import { PageTokens } from './page-tokens';
import { registerRecordReadRoutes } from './records-read-routes';
import { registerRecordWriteRoutes } from './records-write-routes';
import { RecordView } from './record-view';
import { registerSearchRoutes } from './search-routes';
import { snapshotBody } from './snapshot';
import { TokenStore } from './token-store';
import { registerUiRoutes } from './ui-routes';
import { registerUsersRoutes } from './users-routes';
import { ChannelStore } from './watch-store';
import { registerWatchRoutes } from './watch-routes';
import { RecordWriter } from './writer';
import { routeLabeler } from './route-labels';

const isAdmin = (req: Request): boolean => req.path === '/_sim' || req.path.startsWith('/_sim/');
const isJsonOrUntyped = (req: { headers: { 'content-type'?: string } }): boolean => {
  const type = req.headers['content-type'];
  return type === undefined || /^application\/([\w.-]+\+)?json\b/i.test(type);
};
const isTokenEndpoint = (req: Request): boolean => req.path.startsWith('/oauth/');

export interface ZohoRuntime {
  app: Express;
  ctx: ZohoContext;
  channels: ChannelStore;
  notifier: Notifier;
  /** Keeps `options.snapshotFile` current; null without one. */
  snapshots: SnapshotWriter | null;
  /** Set once the server listens, so api_domain can default to the simulator's own URL. */
  setOwnUrl(url: string): void;
}

/**
 * Middleware order: count the request, parse, authenticate, apply concurrency/credit limits, then faults
 * (so injected latency keeps the request in flight and counts toward concurrency), then the handler.
 */
export function buildZohoApp(options: ZohoSimulatorOptions): ZohoRuntime {
  let ownUrl = '';
  const data = new ZohoData(options);
  const view = new RecordView(data, () => options.utcOffsetMinutes);
  const writer = new RecordWriter(data, view, options);
  const stats = new SimStats();
  const faults = new FaultState();
  faults.update(options.faults);
  const ctx: ZohoContext = { options, data, view, writer, stats, faults, apiDomain: () => options.apiDomain ?? ownUrl };
  const channels = new ChannelStore();
  const notifier = new Notifier(channels, options, faults, stats, () => ctx.apiDomain());
  writer.onChange((change) => notifier.onChange(change));
  const tokens = new TokenStore(() => options.maxActiveTokensPerRefreshToken);
  const throttle = createTokenThrottle(ctx);
  const limits = new ApiLimits(options);
  const pageTokens = new PageTokens(() => options.pageTokenTtlMs);
  const file = options.snapshotFile;
  const snapshots = file ? new SnapshotWriter(file, () => snapshotBody(data, channels), () => options.snapshotDelayMs) : null;

  const router = buildRouter(ctx, { channels, notifier, tokens, throttle, limits, pageTokens, faults, snapshots });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(statsMiddleware(stats, isAdmin));
  if (snapshots) app.use(snapshotMiddleware(snapshots));
  app.use(routeLabeler(router));
  // Zoho reads a body without a Content-Type as JSON: its official SDKs send none on record writes
  // (https://github.com/zoho/zohocrm-typescript-sdk-8.0), so a simulator that insisted on one would reject them.
  app.use(express.json({ limit: '25mb', type: isJsonOrUntyped }));
  app.use(express.urlencoded({ extended: false }));
  app.use(authMiddleware(tokens, (req) => isAdmin(req) || isTokenEndpoint(req)));
  app.use(limits.middleware((req) => isAdmin(req) || isTokenEndpoint(req)));
  app.use(
    faultMiddleware(faults, {
      isExempt: isAdmin,
      respond(kind, res, status) {
        if (kind === 'rateLimit') res.status(429).json(rateLimitBody(options));
        else res.status(status).json(INTERNAL_ERROR);
      },
    }),
  );

  app.use(router);
  app.use((req: Request, res: Response) => {
    const err = errors.invalidUrl();
    res.status(err.httpStatus).json(err.body);
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof ZohoHttpError) {
      res.status(err.httpStatus).json(err.body);
      return;
    }
    if (err instanceof SyntaxError && 'body' in err) {
      res.status(400).json(zohoError('INVALID_DATA', 'the input body is not a valid JSON', {}));
      return;
    }
    options.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'zoho simulator: unexpected error');
    res.status(500).json(INTERNAL_ERROR);
  });
  return { app, ctx, channels, notifier, snapshots, setOwnUrl: (url) => (ownUrl = url) };
}

interface Services {
  channels: ChannelStore;
  notifier: Notifier;
  tokens: TokenStore;
  throttle: RollingWindow;
  limits: ApiLimits;
  pageTokens: PageTokens;
  faults: FaultState;
  snapshots: SnapshotWriter | null;
}

function buildRouter(ctx: ZohoContext, s: Services): Router {
  const { data } = ctx;
  const { channels, notifier, tokens, throttle, limits, pageTokens, faults, snapshots } = s;
  const router = Router();
  registerOauthRoutes(router, ctx, tokens, throttle);
  // Fixed paths first: /crm/v8/:module/:id would otherwise swallow settings/fields and actions/watch, /crm/v8/:module users.
  registerFieldsRoutes(router, ctx);
  registerWatchRoutes(router, ctx, channels);
  registerCoqlRoutes(router, ctx);
  registerSearchRoutes(router, ctx);
  registerUsersRoutes(router, ctx);
  registerRecordWriteRoutes(router, ctx);
  registerRecordReadRoutes(router, ctx, pageTokens);
  registerUiRoutes(router, ctx);
  registerAdminRoutes(router, ctx, {
    reset() {
      data.resetAll();
      channels.clear();
      notifier.clear();
      pageTokens.clear();
      limits.reset();
      throttle.forget();
      faults.clear();
    },
    drain: () => notifier.idle(),
    expireTokens: () => tokens.expireAll(),
    snapshot: async () => {
      await snapshots?.flush();
    },
  });
  return router;
}
