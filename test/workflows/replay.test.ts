import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataConverter } from '../../src/codec/data-converter';
import { createEncryptionCodec } from '../../src/codec/encryption-codec';
import { commandReplySignal, localCrmActivity } from '../../src/workflows/messages';
import { callsIn } from '../support/history-calls';
import { fixtureKeyRing, HISTORIES_DIR } from '../support/history-fixtures';
import { patchMarkers, stampedGate } from '../support/patch-markers';
import { installTestRuntime } from '../support/stack';
import { CURRENT_PATCH_GATE } from '../../src/workflows/patch-gates';

/**
 * Histories recorded from real runs (npm run record-histories) replayed against the current workflow code: a change
 * that would break executions already running in production (a command added, removed or reordered) fails here,
 * naming the history. See README, "Upgrading: workflow changes are deploys".
 */
const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();

/**
 * protobufjs's plain JSON, loaded with the proto's own fromObject: the SDK's historyFromJSON (which runReplayHistories
 * applies to proto3 JSON) fails with "type must be a Type" in this install, where @temporalio/common and
 * @temporalio/proto each get their own copy of protobufjs 8 (grpc keeps protobufjs 7 at the top).
 */
function load(file: string) {
  const json = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as Record<string, unknown>;
  const history = temporal.api.history.v1.History.fromObject(json);
  // Workflow code reads its own id (a backfill names its page workflows after it): replay it under the recorded one.
  const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
  if (!workflowId) throw new Error(`${file}: the first event names no workflow id`);
  return { history, workflowId };
}

/** The production converter with the fixtures' public key: the recorded payloads are encrypted. */
const fixtureConverter = createDataConverter(fixtureKeyRing());
const fixtureCodec = createEncryptionCodec(fixtureKeyRing());

/** Histories by file, for what the coverage test asks of them. */
const loaded = new Map(files.map((file) => [file, load(file)]));

/** Recordings of a previous release are kept, renamed `name.vN.json`, for as long as its executions may run. */
const isCurrent = (file: string) => !/\.v\d+\.json$/.test(file);

/** The events of the one current history whose file name starts with `prefix` and whose workflow id starts with `idPrefix`. */
function eventsOf(prefix: string, idPrefix: string) {
  const found = files.filter((file) => file.startsWith(prefix) && isCurrent(file)).map((file) => loaded.get(file));
  expect(found).toHaveLength(1);
  expect(found[0]?.workflowId.startsWith(idPrefix)).toBe(true);
  return found[0]?.history.events ?? [];
}

describe('replay of recorded histories', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    await installTestRuntime();
    const histories = [...loaded.values()];
    const replay = Worker.runReplayHistories(
      { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' }, dataConverter: fixtureConverter },
      histories,
    );
    // One result per history, in order.
    let index = 0;
    for await (const result of replay) results.set(files[index++] ?? '', result);
  }, 120_000);

  test('the recordings cover live sync, both kinds of backfill, the Zoho channel, reconciliation, bulk deliveries and the shop', () => {
    for (const prefix of ['record-sync-', 'backfill-inline-', 'backfill-concurrent-page', 'zoho-watch', 'reconcile-', 'bulk-delivery', 'shop-user-command', 'shop-purchase-deal']) {
      expect(files.some((file) => file.startsWith(prefix))).toBe(true);
    }
  });

  test('the shop recordings cover a command answered by its reply and a purchase that created its HubSpot deal', () => {
    // a command write: sent, its 60 s reply timer started, the reply signal came and the pass canceled that timer
    const user = eventsOf('shop-user-command', 'shop:contact:');
    const at = (eventId: unknown) => user.findIndex((event) => String(event.eventId) === String(eventId));
    const replyAt = user.findIndex((event) => event.workflowExecutionSignaledEventAttributes?.signalName === commandReplySignal.name);
    expect(replyAt).toBeGreaterThan(-1);
    const canceled = user.slice(replyAt).find((event) => event.timerCanceledEventAttributes)?.timerCanceledEventAttributes;
    const timerAt = at(canceled?.startedEventId);
    expect(timerAt).toBeGreaterThan(-1);
    expect(timerAt).toBeLessThan(replyAt);
    expect(String(user[timerAt]?.timerStartedEventAttributes?.startToFireTimeout?.seconds)).toBe('60');
    // a person's change: its pass calls the systems in local activities (src/workflows/pass-activities.ts)
    const sent = callsIn(user.slice(0, timerAt)).filter((call) => call.activityType === localCrmActivity('shop', 'sendWrite'));
    expect(sent).toHaveLength(1);
    // a purchase's pass created records (its buyer where it had none, then the deal)
    const deal = eventsOf('shop-purchase-deal', 'shop:deal:');
    const created = callsIn(deal).filter((call) => call.activityType === localCrmActivity('hubspot', 'createRecord'));
    expect(created.length).toBeGreaterThan(0);
  });

  test('current recordings decide their patches at their start: a backfill with one marker in its first task, a record run by the gate stamped into its input', async () => {
    // a patch asked later, right after a local activity, would not replay after a query split that task (src/workflows/patches.ts)
    const asking = files.filter((file) => isCurrent(file) && /^(record-sync|backfill|shop)-/.test(file));
    expect(asking.length).toBeGreaterThanOrEqual(6);
    for (const file of asking) {
      const events = loaded.get(file)?.history.events ?? [];
      const decided = /^backfill-/.test(file) ? { markers: [{ id: CURRENT_PATCH_GATE, task: 1 }], stamped: undefined } : { markers: [], stamped: CURRENT_PATCH_GATE };
      expect({ file, markers: patchMarkers(events), stamped: await stampedGate(events, fixtureConverter) }).toEqual({ file, ...decided });
    }
  });

  test('a record run that code from before stamped gates started from a stamped input replays by the marker that code recorded', async () => {
    // an ingress deployed before the workers: the older worker ignored the stamp and recorded its own gate's marker
    const { history, workflowId } = load(files.find((file) => /^record-sync-zoho-edit\.v\d+\.json$/.test(file) && patchMarkers(loaded.get(file)?.history.events ?? []).length === 1) ?? '');
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [input] = await fixtureCodec.decode(started?.input?.payloads ?? []);
    const stamped = { ...defaultPayloadConverter.fromPayload<object>(input!), gate: CURRENT_PATCH_GATE };
    started!.input = { payloads: await fixtureCodec.encode([defaultPayloadConverter.toPayload(stamped)]) };
    expect(await stampedGate(history.events ?? [], fixtureConverter)).toBe(CURRENT_PATCH_GATE);
    await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' }, dataConverter: fixtureConverter }, history, workflowId);
  });

  test.each(files)('%s replays without nondeterminism', (file) => {
    const result = results.get(file);
    expect(result).toBeDefined();
    if (result?.error) throw new Error(`${file} does not replay against the current workflow code: ${result.error.message}`);
  });
});
