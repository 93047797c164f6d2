import type { FailureRow } from '../store/types';

export interface CrmLinkOptions {
  /** HubSpot portal (hub) id; without it HubSpot records are listed without a link. */
  hubspotPortalId?: string;
  /** e.g. https://app.hubspot.com (EU portals: https://app-eu1.hubspot.com). */
  hubspotBaseUrl: string;
  /** Everything before `/tab/...`, e.g. https://crm.zoho.com/crm or https://crm.zoho.eu/crm/org123456. */
  zohoBaseUrl: string;
}

export interface ReportOptions {
  /** Temporal Web UI base, e.g. http://localhost:8233. */
  webUiBaseUrl: string;
  namespace: string;
  crmLinks: CrmLinkOptions;
  now: Date;
  /** Rows shown per cause before "… and N more"; keeps a mass failure from producing a megabyte e-mail. */
  maxRowsPerCause?: number;
}

export interface FailureReport {
  subject: string;
  text: string;
  html: string;
}

/** Failures that share a cause, e.g. every contact HubSpot refused for an invalid email. */
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
  recordUrl: string | null;
  workflowUrl: string;
}

/** Everything the text and HTML renderers show, decided once so that both say the same thing. */
export interface ReportModel {
  subject: string;
  generatedAt: string;
  summary: string;
  /** the Web UI's list of every record failing now (also those reported before) */
  failedListUrl: string;
  causes: { heading: string; category: string; rows: RenderedRow[]; hidden: number }[];
  recovered: RenderedRow[];
}
