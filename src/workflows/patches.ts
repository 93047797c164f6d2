// eslint-disable-next-line no-restricted-imports -- the one module that asks patches, for every workflow
import { patched } from '@temporalio/workflow';

/**
 * Runs started by workflow code older than the first gate ask each of its patches where that patch's behaviour first
 * applies; newer runs decide them all in their first task, with one marker: the newest gate's.
 *
 * Why: when a query reaches a workflow task while a local activity's result is pending, the SDK's core (1.24) completes
 * the task with that activity's marker and hands the result to the workflow in the next task; on replay it hands it
 * over in the earlier task, where a patch marker recorded in the next one is not yet known. A patch asked right after
 * a local activity (a pass asks several) then replays as unpatched and the run fails with a nondeterminism error. The
 * first task follows the run's start, never a local activity, so a patch decided there is known wherever it is asked.
 *
 * A later change makes a new CURRENT gate listing every patch of the one before plus its own, and keeps the old one in
 * GATES. A run asks the gates newest first at its start and keeps the first it has: a run that started under an older gate takes the old path of
 * every change made after it started, and asks no marker later on.
 */
const FIRST_GATE = [
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
] as const;

const SECOND_GATE = { id: 'patches-decided-at-start-2', patches: [...FIRST_GATE, 'live-leaves-load-queue'] } as const;
const THIRD_GATE = { id: 'patches-decided-at-start-3', patches: [...SECOND_GATE.patches, 'reconcile-leaves-backfills-their-records'] } as const;
const FOURTH_GATE = { id: 'patches-decided-at-start-4', patches: [...THIRD_GATE.patches, 'backfill-pages-in-flight-by-default'] } as const;
// The fifth gate's second patch came before any release of the gate: no run decided it without that patch.
const FIFTH_GATE = { id: 'patches-decided-at-start-5', patches: [...FOURTH_GATE.patches, 'live-calls-run-locally', 'backfill-page-in-flight-before-start'] } as const;
const SIXTH_GATE = { id: 'patches-decided-at-start-6', patches: [...FIFTH_GATE.patches, 'backfill-creates-before-matching'] } as const;
const SEVENTH_GATE = { id: 'patches-decided-at-start-7', patches: [...SIXTH_GATE.patches, 'backfill-pages-of-200', 'backfill-skips-empty-lookup'] } as const;
// The eighth gate's third patch came before any release of the gate, as the fifth's second did.
const CURRENT = { id: 'patches-decided-at-start-8', patches: [...SEVENTH_GATE.patches, 'pass-calls-joined', 'backfill-lists-ahead', 'one-idle-timer'] } as const;
const GATES = [{ id: 'patches-decided-at-start', patches: FIRST_GATE }, SECOND_GATE, THIRD_GATE, FOURTH_GATE, FIFTH_GATE, SIXTH_GATE, SEVENTH_GATE, CURRENT] as const;

type Gate = (typeof GATES)[number];

/** The marker a run started now records in its first task, and no other. */
export const CURRENT_PATCH_GATE: string = CURRENT.id;
export type PatchId = Gate['patches'][number];

/** The gate this run decided at its start; null for a run older than every gate. Workflow state: one per run. */
let decided: Gate | null = null;

/** First thing in every workflow that reaches `isPatched`, before anything it awaits. */
export function decidePatchesAtStart(): void {
  decided = [...GATES].reverse().find((gate) => patched(gate.id)) ?? null;
}

/**
 * Whether the behaviour `patchId` names applies in this run: as its gate says in runs that decided their patches at
 * start, else as `patched(patchId)` answers where it is asked, as it did when such a run recorded its history (a patch
 * newer than the first gate never applies there).
 */
export function isPatched(patchId: PatchId): boolean {
  if (decided) return (decided.patches as readonly string[]).includes(patchId);
  return (FIRST_GATE as readonly string[]).includes(patchId) && patched(patchId);
}
