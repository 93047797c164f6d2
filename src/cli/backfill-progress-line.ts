import type { BackfillProgress } from '../domain/backfill-progress';
import type { CrmObject, SystemName } from '../domain/records';

/** How the CLI names a system: its registry name and label. */
export interface SystemLabel {
  name: SystemName;
  label: string;
  /** the system's own names for the objects it holds (the shop's users), which `--object` also takes */
  objects?: Readonly<Partial<Record<CrmObject, string>>>;
}

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
export function finalReport(workflowId: string, p: BackfillProgress, systems: readonly SystemLabel[]): string {
  const rows: [string, number][] = p.dryRun
    ? [['seen', p.seen], ['would create', p.wouldCreate], ['would link', p.wouldLink], ['would update', p.wouldUpdate], ['skipped', p.skipped], ['would fail', p.failed], ['likely duplicates', p.likelyDuplicates]]
    : [['seen', p.seen], ['created', p.created], ['linked', p.linked], ['updated', p.updated], ['skipped', p.skipped], ['failed', p.failed], ['handed to live sync', p.handedToLive], ['likely duplicates', p.likelyDuplicates], ['companies synced on the way', p.companiesSynced]];
  const lines = [
    `backfill ${workflowId} ${p.state}${p.dryRun ? ' (dry run: nothing written)' : ''}: ${p.pagesDone} pages in ${formatSeconds(p.elapsedSeconds)}, ${p.ratePerSecond} records/s, ${requestsText(p.requests, systems)}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(28)} ${value}`),
  ];
  for (const duplicate of p.duplicates) lines.push(`  duplicate? ${p.from} ${duplicate.object} ${duplicate.sourceId}: ${duplicate.reason}`);
  if (p.likelyDuplicates > p.duplicates.length) lines.push(`  (${p.likelyDuplicates} likely duplicates counted per page they came up in; ${p.duplicates.length} listed)`);
  if (!p.dryRun && p.failed > 0) lines.push('  failed records are in the failure report (same as live sync)');
  return `${lines.join('\n')}\n`;
}

/** "12 HubSpot and 30 Zoho requests": every registered system, then any other the backfill called. */
function requestsText(requests: Record<SystemName, number>, systems: readonly SystemLabel[]): string {
  const names = [...new Set([...systems.map((system) => system.name), ...Object.keys(requests)])];
  const parts = names.map((name) => `${requests[name] ?? 0} ${systems.find((system) => system.name === name)?.label ?? name}`);
  return `${new Intl.ListFormat('en', { type: 'conjunction' }).format(parts)} requests`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
