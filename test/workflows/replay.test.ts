import { temporal } from '@temporalio/proto';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataConverter } from '../../src/codec/data-converter';
import { fixtureKeyRing, HISTORIES_DIR } from '../support/history-fixtures';
import { installTestRuntime } from '../support/stack';

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

describe('replay of recorded histories', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    await installTestRuntime();
    const histories = files.map(load);
    // Replayed through the production codec with the fixtures' public key: the recorded payloads are encrypted.
    const replay = Worker.runReplayHistories(
      { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE ?? '' }, dataConverter: createDataConverter(fixtureKeyRing()) },
      histories,
    );
    // One result per history, in order.
    let index = 0;
    for await (const result of replay) results.set(files[index++] ?? '', result);
  }, 120_000);

  test('the recordings cover live sync, both kinds of backfill, the Zoho channel and reconciliation', () => {
    for (const prefix of ['record-sync-', 'backfill-inline-', 'backfill-concurrent-page', 'zoho-watch', 'reconcile-']) {
      expect(files.some((file) => file.startsWith(prefix))).toBe(true);
    }
  });

  test.each(files)('%s replays without nondeterminism', (file) => {
    const result = results.get(file);
    expect(result).toBeDefined();
    if (result?.error) throw new Error(`${file} does not replay against the current workflow code: ${result.error.message}`);
  });
});
