import type { SyncRules } from '../config/sync-rules';
import type { CrmObject } from './records';
import type { FieldMapping } from './schema/field-mapping';
import type { Transform } from './schema/transform';
import { describeCondition } from './conditions';

const TITLES: Record<CrmObject, string> = {
  contact: 'Contacts (HubSpot contacts ↔ Zoho Contacts)',
  company: 'Companies (HubSpot companies ↔ Zoho Accounts)',
};
const DIRECTION_LABELS: Record<FieldMapping['direction'], string> = {
  both: 'both',
  'zoho-to-hubspot': 'Zoho → HubSpot',
  'hubspot-to-zoho': 'HubSpot → Zoho',
};

/** Markdown documentation of the configured mappings: `npm run mappings`. */
export function mappingsTable(rules: SyncRules): string {
  const lines: string[] = [];
  for (const object of ['contact', 'company'] as const) {
    const hot = rules.hot[object];
    lines.push(`## ${TITLES[object]}`, '');
    lines.push(`Created in HubSpot: ${hot === false ? 'only when a hot contact needs it' : hot ? `when ${describeCondition(hot)}` : 'always'}.`, '');
    lines.push('| canonical | HubSpot property | Zoho field | direction | transform | validation |');
    lines.push('|---|---|---|---|---|---|');
    for (const m of rules.mappings[object]) {
      const cells = [m.name, m.hubspot, m.zoho, DIRECTION_LABELS[m.direction], describeTransform(m.transform), describeValidation(m)];
      lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
    lines.push('');
  }
  const ref = rules.crossReference;
  lines.push(
    `Master: ${rules.master}. Counterpart ids: HubSpot \`${ref.hubspotProperty}\`, Zoho \`${ref.zohoField}\`. ` +
      `Deletes: Zoho → ${rules.deletes.zoho}, HubSpot → ${rules.deletes.hubspot}.`,
    '',
  );
  return lines.join('\n');
}

function describeTransform(transform: Transform): string {
  switch (transform.kind) {
    case 'enum': {
      const pairs = Object.entries(transform.zohoToHubspot).map(([zoho, hubspot]) => `${zoho}→${hubspot}`);
      const extra = Object.entries(transform.hubspotToZoho)
        .filter(([hubspot, zoho]) => transform.zohoToHubspot[zoho] !== hubspot)
        .map(([hubspot, zoho]) => `${hubspot}⇢${zoho}`);
      const back = extra.length ? `; also read: ${extra.join(', ')}` : '';
      return `enum (${pairs.join(', ')}${back}; unmapped: ${transform.unmapped})`;
    }
    case 'domain':
      return `domain (HubSpot ${transform.hubspot}, Zoho ${transform.zoho})`;
    case 'phone':
      return transform.defaultCountryCode === undefined ? 'phone' : `phone (default +${transform.defaultCountryCode ?? 'none'})`;
    default:
      return transform.kind;
  }
}

function describeValidation(mapping: FieldMapping): string {
  const v = mapping.validate;
  const parts: string[] = [];
  if (v.required?.length) parts.push(`required in ${v.required.join(', ')}`);
  for (const rule of v.requiredIf ?? []) {
    parts.push(`required${rule.in ? ` in ${rule.in.join(', ')}` : ''} when ${describeCondition(rule.when)}`);
  }
  if (v.format) parts.push(`${v.format} format`);
  const lengths = Object.entries(v.maxLength ?? {}).map(([target, max]) => `${target} ≤ ${String(max)}`);
  if (lengths.length) parts.push(`max length ${lengths.join(', ')}`);
  return parts.join('; ') || '—';
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
