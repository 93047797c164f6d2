import { failedText, formatTime, oneLine, plural } from './format';
import type { RenderedRow, ReportModel } from './types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value in the report came from a system or a user, so all of it is escaped, URLs included. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

function recordCell({ label, recordUrl }: RenderedRow): string {
  return recordUrl ? link(recordUrl, label) : escapeHtml(label);
}

function failureItem(rendered: RenderedRow): string {
  const { row } = rendered;
  const fields = row.fields.map((p) => `<code>${escapeHtml(p.field)}</code> (${escapeHtml(oneLine(p.reason))})`).join(', ');
  return [
    `<li><strong>${recordCell(rendered)}</strong> (${escapeHtml(row.operation)})<br>`,
    `failed ${escapeHtml(failedText(row))}<br>`,
    `${escapeHtml(row.category)}: ${escapeHtml(oneLine(row.message))}<br>`,
    fields ? `fields: ${fields}<br>` : '',
    `${link(rendered.workflowUrl, 'workflow in Temporal')}</li>`,
  ].join('');
}

function recoveredItem(rendered: RenderedRow): string {
  const { row } = rendered;
  const when = row.recoveredAt ? formatTime(row.recoveredAt) : '';
  const detail = `recovered ${when} after ${plural(row.attempts, 'failure')} (${row.category})`;
  return `<li>${recordCell(rendered)} (${escapeHtml(row.operation)}): ${escapeHtml(detail)}, ${link(rendered.workflowUrl, 'workflow')}</li>`;
}

export function renderHtml(model: ReportModel): string {
  const parts = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<h1>crm-sync failure report</h1><p>${escapeHtml(model.generatedAt)}</p>`,
    `<p>${escapeHtml(model.summary)} ${link(model.failedListUrl, 'Every failing record in the Temporal Web UI')}</p>`,
    `<p>${escapeHtml(model.reconciliation)}</p>`,
  ];
  for (const section of model.deadLetters) {
    parts.push(`<p>${escapeHtml(section.heading)}</p><ul>`, ...section.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`), '</ul>');
  }
  for (const cause of model.causes) {
    parts.push(`<h2>${escapeHtml(cause.heading)} <small>[${escapeHtml(cause.category)}]</small></h2><ul>`);
    parts.push(...cause.rows.map(failureItem));
    if (cause.hidden > 0) parts.push(`<li>… and ${cause.hidden} more</li>`);
    parts.push('</ul>');
  }
  if (model.recovered.length > 0) {
    parts.push(`<h2>Recovered: ${escapeHtml(plural(model.recovered.length, 'record'))}</h2><ul>`);
    parts.push(...model.recovered.map(recoveredItem), '</ul>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
