// eslint-disable-next-line no-restricted-imports -- the one module that asks patches, for every workflow
import { patched, workflowInfo } from '@temporalio/workflow';
import { FIRST_GATE, GATES, type Gate, type PatchId } from './patch-gates';

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
 * GATES (src/workflows/patch-gates.ts). A run asks the gates newest first at its start and keeps the first it has: a
 * run that started under an older gate takes the old path of every change made after it started, and asks no marker
 * later on. A record run is told its gate by its input instead, and asks none.
 */

/** The gate this run decided at its start; null for a run older than every gate. Workflow state: one per run. */
let decided: Gate | null = null;

/**
 * First thing in every workflow that reaches `isPatched`, before anything it awaits. `stamped`: the gate its starter
 * wrote into its input (src/workflows/patch-gates.ts, CURRENT_PATCH_GATE), which costs the run no marker and no
 * TemporalChangeVersion upsert (two history events and a billed action per record run).
 */
export function decidePatchesAtStart(stamped?: string): void {
  if (stamped === undefined) {
    decided = markedGate();
    return;
  }
  const gate = GATES.find((known) => known.id === stamped);
  // Thrown as a plain error, it fails the workflow task, not the run: the task is retried until a worker whose code
  // knows the gate takes it (an ingress deployed before the workers).
  if (!gate) throw new Error(`this worker's workflow code predates patch gate ${stamped}; a newer worker will take the task`);
  // Code older than stamped gates ignored the stamp and recorded its gate's marker: replayed, that marker decides.
  decided = (workflowInfo().unsafe.isReplaying ? markedGate() : null) ?? gate;
}

/** The newest gate whose marker the run recorded; asked while not replaying, it records the newest gate's. */
function markedGate(): Gate | null {
  return [...GATES].reverse().find((gate) => patched(gate.id)) ?? null;
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
