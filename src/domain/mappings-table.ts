import { CRM_OBJECTS, type CrmObject, type SystemName } from './records';
import type { Column, FieldMapping } from './schema/field-mapping';
import type { SyncRules } from './schema/sync-rules';
import type { Transform } from './schema/transform';
import { describeCondition } from './conditions';
import { columnOf, deleteActionFor, holdsRuleOf } from './mapping';

const TITLES: Record<CrmObject, string> = { contact: 'Contacts', company: 'Companies', deal: 'Deals' };

/**
 * Markdown documentation of the configured mappings (`npm run mappings`), one column per system. `systems` comes from
 * the registry; without it, the systems the mappings name, in priority order.
 */
export function mappingsTable(rules: SyncRules, systems: SystemName[] = systemsOfMappings(rules)): string {
  const lines: string[] = [];
  for (const object of CRM_OBJECTS) {
    lines.push(`## ${TITLES[object]}`, '');
    // a system with no column for this object (Zoho for deals) holds none of its values
    const holders = systems.filter((system) => rules.mappings[object].some((m) => columnOf(m, system) !== undefined));
    lines.push(`Held by: ${holders.map((system) => `${system} ${describeHolds(rules, system, object)}`).join('; ')}.`, '');
    lines.push(`| canonical | ${systems.join(' | ')} | transform | validation |`);
    lines.push(`|${'---|'.repeat(systems.length + 3)}`);
    for (const m of rules.mappings[object]) {
      const columns = systems.map((system) => describeColumn(columnOf(m, system)));
      const cells = [m.name, ...columns, describeTransform(m, systems), describeValidation(m, systems)];
      lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push(`Priority: ${rules.priority.join(', ')}.`, '');
  const refs = systems.flatMap((system) =>
    Object.entries(rules.crossReference[system] ?? {}).flatMap(([other, field]) =>
      typeof field === 'string'
        ? [`${system} \`${field}\` holds the ${other} id`]
        : Object.entries(field).map(([object, name]) => `${system} \`${name}\` holds the ${other} ${object} id`),
    ),
  );
  lines.push(`Cross-references: ${refs.length ? refs.join('; ') : 'none'}.`, '');
  lines.push(`Deletes: ${systems.map((system) => `${system} → ${deleteActionFor(rules, system)}`).join(', ')}.`, '');
  return lines.join('\n');
}

/** Systems named by the mappings: those in the priority list first, in its order, then the rest as first named. */
function systemsOfMappings(rules: SyncRules): SystemName[] {
  const named = new Set<SystemName>();
  for (const object of CRM_OBJECTS) for (const mapping of rules.mappings[object]) for (const system of Object.keys(mapping.systems)) named.add(system);
  return [...rules.priority.filter((system) => named.has(system)), ...[...named].filter((system) => !rules.priority.includes(system))];
}

function describeHolds(rules: SyncRules, system: SystemName, object: CrmObject): string {
  const rule = holdsRuleOf(rules, system, object);
  if (rule === true) return 'always';
  if (rule === false) return 'only when a record it holds needs it';
  return `when ${describeCondition(rule)}`;
}

function describeColumn(column: Column | undefined): string {
  if (column === undefined) return '—';
  return column.direction === 'both' ? column.field : `${column.field} (${column.direction})`;
}

function describeTransform(mapping: FieldMapping, systems: SystemName[]): string {
  const transform: Transform = mapping.transform;
  switch (transform.kind) {
    case 'enum': {
      const tables = Object.entries(transform.tables).map(([system, table]) => {
        const pairs = Object.entries(table.toWire).map(([canonical, wire]) => `${canonical}→${wire}`);
        const extra = Object.entries(table.fromWire)
          .filter(([wire, canonical]) => table.toWire[canonical] !== wire)
          .map(([wire, canonical]) => `${wire}⇢${canonical}`);
        return `${system}: ${pairs.join(', ')}${extra.length ? `; also read from ${system}: ${extra.join(', ')}` : ''}`;
      });
      return `enum (${[...tables, `unmapped: ${transform.unmapped}`].join('; ')})`;
    }
    case 'domain': {
      const held = systems.filter((system) => columnOf(mapping, system) !== undefined);
      const forms = held.map((system) => `${system} ${Object.hasOwn(transform.forms, system) ? transform.forms[system] : 'bare'}`);
      return `domain (${forms.join(', ')})`;
    }
    case 'phone':
      return transform.defaultCountryCode === undefined ? 'phone' : `phone (default +${transform.defaultCountryCode ?? 'none'})`;
    default:
      return transform.kind;
  }
}

function describeValidation(mapping: FieldMapping, systems: SystemName[]): string {
  const columns = systems.flatMap((system) => {
    const column = columnOf(mapping, system);
    return column ? [{ system, column }] : [];
  });
  const parts: string[] = [];
  const required = columns.filter(({ column }) => column.required).map(({ system }) => system);
  if (required.length) parts.push(`required in ${required.join(', ')}`);
  for (const rule of mapping.validate.requiredIf ?? []) {
    parts.push(`required${rule.in ? ` in ${rule.in.join(', ')}` : ''} when ${describeCondition(rule.when)}`);
  }
  if (mapping.validate.format) parts.push(`${mapping.validate.format} format`);
  const lengths = columns.flatMap(({ system, column }) => (column.maxLength === undefined ? [] : [`${system} ≤ ${String(column.maxLength)}`]));
  if (lengths.length) parts.push(`max length ${lengths.join(', ')}`);
  return parts.join('; ') || '—';
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
