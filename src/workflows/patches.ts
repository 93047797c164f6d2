// eslint-disable-next-line no-restricted-imports -- the one module that asks patches, for every workflow
import { patched } from '@temporalio/workflow';

/**
 * Runs started by workflow code older than this gate ask each of its patches where that patch's behaviour first
 * applies; newer runs decide them all in their first task, with one marker.
 *
 * Why: when a query reaches a workflow task while a local activity's result is pending, the SDK's core (1.24) completes
 * the task with that activity's marker and hands the result to the workflow in the next task; on replay it hands it
 * over in the earlier task, where a patch marker recorded in the next one is not yet known. A patch asked right after
 * a local activity (a pass asks several) then replays as unpatched and the run fails with a nondeterminism error. The
 * first task follows the run's start, never a local activity, so a patch decided there is known wherever it is asked.
 *
 * A later change adds a gate of its own listing its patch with all of these, asked at start instead of this one, and
 * `isPatched` asks the newest gate naming a patch first: a run that started under this gate must still take the old
 * path of a change made after it started.
 */
const GATE = {
  id: 'patches-decided-at-start',
  patches: [
    'backfill-cross-refs-to-every-target',
    'backfill-every-reference',
    'backfill-force-create-past-in-sync',
    'backfill-targets-before-command',
    'clear-cross-refs-on-unlink',
    'complete-cross-refs',
    'cross-refs-to-every-target',
    'empty-field-is-held',
    'force-create-past-in-sync',
    'gone-reference-left-as-is',
    'keep-created-on-stale-save',
    'own-writes-are-not-edits',
    'patient-redo',
    'redo-exhausted-marks-failed',
    'retried-create-is-created',
    'shop-command-lanes',
  ],
} as const;

export type PatchId = (typeof GATE.patches)[number];

/** First thing in every workflow that reaches `isPatched`, before anything it awaits. */
export function decidePatchesAtStart(): void {
  patched(GATE.id);
}

/**
 * Whether the behaviour `patchId` names applies in this run: always in runs that decided their patches at start,
 * else as `patched(patchId)` answers where it is asked, as it did when such a run recorded its history.
 */
export function isPatched(patchId: PatchId): boolean {
  return patched(GATE.id) || patched(patchId);
}
