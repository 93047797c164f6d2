/** Generic building blocks shared by the HubSpot and Zoho simulators. */
export { listen, type RunningServer } from './http-server';
export { route, routePatternOf, param, queryList, queryString, type Handler } from './route';
export { SimStats, statsMiddleware, type SimStatsSnapshot } from './stats';
export { RollingWindow, type WindowVerdict } from './rolling-window';
export { FaultSettings, FaultState, NO_FAULTS, faultMiddleware, type FaultKind, type FaultResponders } from './faults';
export { FakeData, slug, type FakeCompany, type FakePerson, type FakeAddress } from './fake-data';
export {
  WebhookQueue,
  retryUnlessClientError,
  type WebhookQueueOptions,
  type OutboundRequest,
  type DeliveryCounters,
} from './webhook-queue';
export { MonotonicClock } from './clock';
