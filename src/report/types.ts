import type { CrmObject, SystemName } from '../domain/records';
import type { DeadLetterRow, FailureRow } from '../store/types';

/** How the report names a system's records and links to them. */
export interface ReportSystem {
  name: SystemName;
  /** e.g. "HubSpot" */
  label: string;
  /** where a person opens the record; absent or null: listed without a link */
  recordUrl?: (object: CrmObject, id: string) => string | null;
}

export interface ReportOptions {
  /** Temporal Web UI base, e.g. http://localhost:8233. */
  webUiBaseUrl: string;
  namespace: string;
  /** the registered systems; a failure of a system not among them is shown by its name, without a link */
  systems: readonly ReportSystem[];
  now: Date;
  /** records reconciliation found out of sync in the period (changes whose event never arrived) */
  caughtByReconciliation?: number;
  /** messages a broker ingress dead-lettered in the period for breaking their system's contract */
  deadLetters?: readonly DeadLetterRow[];
  /** Rows shown per cause before "… and N more"; keeps a mass failure from producing a megabyte e-mail. */
  maxRowsPerCause?: number;
}

export interface FailureReport {
  subject: string;
  text: string;
  html: string;
}

/** Failures that share a cause, e.g. every contact a system refused for an invalid email. */
export interface CauseGroup {
  key: string;
  label: string;
  category: string;
  /** Distinct records (one record can fail in several operations). */
  recordCount: number;
  rows: FailureRow[];
}

/** A row prepared for rendering: every link already built. */
export interface RenderedRow {
  row: FailureRow;
  /** e.g. "HubSpot contact 101" */
  label: string;
  recordUrl: string | null;
  workflowUrl: string;
}

/** Everything the text and HTML renderers show, decided once so that both say the same thing. */
export interface ReportModel {
  subject: string;
  generatedAt: string;
  summary: string;
  /** "caught by reconciliation: N" */
  reconciliation: string;
  /** per system with dead-lettered messages: "dead-lettered shop messages: N" and the reasons with their counts */
  deadLetters: { heading: string; reasons: string[] }[];
  /** the Web UI's list of every record failing now (also those reported before) */
  failedListUrl: string;
  causes: { heading: string; category: string; rows: RenderedRow[]; hidden: number }[];
  recovered: RenderedRow[];
}
