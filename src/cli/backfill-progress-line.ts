import type { BackfillProgress } from '../domain/backfill-progress';

const BAR_WIDTH = 24;

/** One status line: a bar when the total is known, then the counts, the rate and the ETA. */
export function progressLine(p: BackfillProgress): string {
  const parts: string[] = [];
  if (p.total !== null && p.total > 0) {
    const share = Math.min(1, p.seen / p.total);
    const filled = Math.round(share * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% ${p.seen}/${p.total}`);
  } else {
    parts.push(`${p.seen} records`);
  }
  parts.push(`pages ${p.pagesDone}`);
  parts.push(p.dryRun ? `would create ${p.wouldCreate} link ${p.wouldLink} update ${p.wouldUpdate}` : `created ${p.created} linked ${p.linked} updated ${p.updated}`);
  parts.push(`skipped ${p.skipped} failed ${p.failed}${p.dryRun ? '' : ` to-live ${p.handedToLive}`}`);
  parts.push(`${p.ratePerSecond}/s`);
  if (p.state === 'running') parts.push(p.etaSeconds === null ? 'ETA ?' : `ETA ${formatSeconds(p.etaSeconds)}`);
  else parts.push(p.state);
  return parts.join(' | ');
}

/** The final report printed on stdout. */
export function finalReport(workflowId: string, p: BackfillProgress): string {
  const rows: [string, number][] = p.dryRun
    ? [['seen', p.seen], ['would create', p.wouldCreate], ['would link', p.wouldLink], ['would update', p.wouldUpdate], ['skipped', p.skipped], ['would fail', p.failed], ['likely duplicates', p.likelyDuplicates]]
    : [['seen', p.seen], ['created', p.created], ['linked', p.linked], ['updated', p.updated], ['skipped', p.skipped], ['failed', p.failed], ['handed to live sync', p.handedToLive], ['likely duplicates', p.likelyDuplicates], ['companies synced on the way', p.companiesSynced]];
  const lines = [
    `backfill ${workflowId} ${p.state}${p.dryRun ? ' (dry run: nothing written)' : ''}: ${p.pagesDone} pages in ${formatSeconds(p.elapsedSeconds)}, ${p.ratePerSecond} records/s, ${p.requests.hubspot} HubSpot and ${p.requests.zoho} Zoho requests`,
    ...rows.map(([label, value]) => `  ${label.padEnd(28)} ${value}`),
  ];
  for (const duplicate of p.duplicates) lines.push(`  duplicate? ${p.from} ${duplicate.object} ${duplicate.sourceId}: ${duplicate.reason}`);
  if (p.likelyDuplicates > p.duplicates.length) lines.push(`  (${p.likelyDuplicates} likely duplicates counted per page they came up in; ${p.duplicates.length} listed)`);
  if (!p.dryRun && p.failed > 0) lines.push('  failed records are in the failure report (same as live sync)');
  return `${lines.join('\n')}\n`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
