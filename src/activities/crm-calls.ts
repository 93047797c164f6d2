import { setMaxListeners } from 'node:events';
import { Context } from '@temporalio/activity';
import { withRequestContext } from '../connectors/http/request-context';
import { LIVE_PRIORITY } from '../domain/lane';
import { classifyErrors } from './activity-failure';
import { aroundEach, type ActivityFunctions } from './around-each';
import { heartbeating } from './heartbeating';

/**
 * Activities that call a CRM: their errors typed for Temporal's retries, a heartbeat every `heartbeatEveryMs`, and
 * their requests attributed to the activity: its priority key and age order them where they wait for the CRM's rate
 * budget (live sync before a backfill), and its cancellation (a timeout, a cancelled workflow) drops a request still waiting.
 */
export function crmCalls<T extends ActivityFunctions>(activities: T, heartbeatEveryMs: number): T {
  const attributed = aroundEach(classifyErrors(activities), (call) => {
    const { info, cancellationSignal } = Context.current();
    // Each of the activity's requests waiting for the budget listens to it (a backfill page's reads go side by side).
    setMaxListeners(0, cancellationSignal);
    // local activities carry no priority: only live passes call them (src/workflows/pass-activities.ts)
    const priority = info.isLocal ? LIVE_PRIORITY : info.priority?.priorityKey;
    // the activity's age, from when it was first scheduled: among equals the longest waiting goes first
    return withRequestContext({ ...(priority === undefined ? {} : { priority }), since: info.scheduledTimestampMs, signal: cancellationSignal }, call);
  });
  return heartbeating(attributed, heartbeatEveryMs);
}
