/**
 * The patch gates, newest last: each lists every patch of the one before plus its own (src/workflows/patches.ts says how
 * a run decides its gate). Plain data, free of workflow APIs: the ingress stamps the newest gate's id into the record
 * runs it starts.
 */
export const FIRST_GATE = [
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
const EIGHTH_GATE = { id: 'patches-decided-at-start-8', patches: [...SEVENTH_GATE.patches, 'pass-calls-joined', 'backfill-lists-ahead', 'one-idle-timer'] } as const;
const NINTH_GATE = { id: 'patches-decided-at-start-9', patches: [...EIGHTH_GATE.patches, 'update-joins-save'] } as const;
const TENTH_GATE = { id: 'patches-decided-at-start-10', patches: [...NINTH_GATE.patches, 'links-stand-for-unread-records'] } as const;
const ELEVENTH_GATE = { id: 'patches-decided-at-start-11', patches: [...TENTH_GATE.patches, 'unsaved-own-writes-looked-back'] } as const;
const CURRENT = { id: 'patches-decided-at-start-12', patches: [...ELEVENTH_GATE.patches, 'refused-own-writes-withdrawn'] } as const;
export const GATES = [{ id: 'patches-decided-at-start', patches: FIRST_GATE }, SECOND_GATE, THIRD_GATE, FOURTH_GATE, FIFTH_GATE, SIXTH_GATE, SEVENTH_GATE, EIGHTH_GATE, NINTH_GATE, TENTH_GATE, ELEVENTH_GATE, CURRENT] as const;

export type Gate = (typeof GATES)[number];
export type PatchId = Gate['patches'][number];

/** The gate a run started now decides: stamped into a record run's input, else recorded as its one marker. */
export const CURRENT_PATCH_GATE: string = CURRENT.id;
