import { AsyncLocalStorage } from 'node:async_hooks';

/** What the caller of a CRM request is: how urgent, and whether it still wants the answer. */
export interface RequestContext {
  /** lower first, as Temporal's priority keys; absent: DEFAULT_REQUEST_PRIORITY */
  priority?: number;
  /**
   * When the oldest call this request answers was made (epoch ms); absent: when the request is made. Among requests of
   * one priority the oldest go first, so a batch's later requests (HubSpot's associations read after its batch read,
   * a checked write after its check) do not queue behind batches gathered after it.
   */
  since?: number;
  /** aborted once the caller gave up (its activity was cancelled or timed out): a request still waiting is dropped */
  signal?: AbortSignal;
  /**
   * A request slot one of the connector's pacers has already granted to this context (CrmConnector.awaitRequestSlot):
   * the first request made under it that this pacer holds goes without waiting again, and spends it.
   */
  granted?: GrantedSlot;
}

export interface GrantedSlot {
  /** the pacer that granted it: a request another one holds (a search, where HubSpot budgets those apart) waits there */
  readonly by: object;
  spent: boolean;
}

/** Temporal's default priority key: a request made outside any activity waits behind live sync, ahead of bulk work. */
export const DEFAULT_REQUEST_PRIORITY = 3;

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `work` with its CRM requests attributed to `context`. An async context rather than a parameter: the
 * requests are made deep inside connectors and the HubSpot SDK, which have no place for it.
 */
export function withRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
