import { parseArgs } from 'node:util';
import { parseBackfillInput, type BackfillInput, type BackfillRequest } from '../domain/backfill-input';
import { CRM_OBJECTS, type SystemName } from '../domain/records';
import type { SystemLabel } from './backfill-progress-line';

/** Input field → the flag that sets it, so validation messages name what the user typed. */
const FLAGS: Record<string, string> = {
  from: '--from',
  object: '--object',
  modifiedAfter: '--modified-after',
  modifiedBefore: '--modified-before',
  createdAfter: '--created-after',
  createdBefore: '--created-before',
  idFrom: '--id-from',
  idTo: '--id-to',
  dryRun: '--dry-run',
  maxRps: '--max-rps',
  pageSize: '--page-size',
  concurrency: '--concurrency',
};

export function backfillUsage(systems: readonly SystemName[]): string {
  return `usage: npm run backfill -- --from ${systems.join('|')} --object ${CRM_OBJECTS.join('|')}
         [--modified-after DATE] [--modified-before DATE] [--created-after DATE] [--created-before DATE] [--id-from ID --id-to ID]
         [--dry-run] [--max-rps N] [--page-size N] [--concurrency N] [--workflow-id ID] [--detach]
`;
}

export interface BackfillFlags {
  input: BackfillRequest;
  workflowId: string | undefined;
  /** start and return without watching */
  detach: boolean;
}

export class BackfillUsageError extends Error {}

/**
 * Flags → the workflow's input, validated by the same schema the workflow uses, and `--from` against the registered
 * systems; errors name the flag.
 */
export function parseBackfillFlags(args: string[], systems: readonly SystemLabel[]): BackfillFlags {
  const names = systems.map((system) => system.name);
  const usage = backfillUsage(names);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new BackfillUsageError(`${(error as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new BackfillUsageError(`unexpected argument: ${positionals[0] ?? ''}\n${usage}`);
  const input: BackfillInput & Record<string, unknown> = {
    from: values.from as BackfillInput['from'],
    object: canonicalObject(values.object, systems.find((system) => system.name === values.from)) as BackfillInput['object'],
    ...optional('modifiedAfter', values['modified-after']),
    ...optional('modifiedBefore', values['modified-before']),
    ...optional('createdAfter', values['created-after']),
    ...optional('createdBefore', values['created-before']),
    ...optional('idFrom', values['id-from']),
    ...optional('idTo', values['id-to']),
    ...(values['dry-run'] ? { dryRun: true } : {}),
    ...numeric('maxRps', values['max-rps']),
    ...numeric('pageSize', values['page-size']),
    ...numeric('concurrency', values.concurrency),
  };
  const result = parseBackfillInput(input, names);
  const held = heldObjects(systems.find((system) => system.name === input.from));
  const notHeld = held && typeof input.object === 'string' && !held.includes(input.object) ? [{ field: 'object', message: `${input.from} holds no ${input.object} (it holds ${held.join(', ')})` }] : [];
  if (!result.ok || notHeld.length > 0) {
    const problems = [...(result.ok ? [] : result.problems), ...notHeld].map((problem) => `${FLAGS[problem.field] ?? problem.field}: ${problem.message}`);
    throw new BackfillUsageError(`${problems.join('\n')}\n${usage}`);
  }
  return { input: result.value, workflowId: values['workflow-id'], detach: values.detach === true };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      object: { type: 'string' },
      'modified-after': { type: 'string' },
      'modified-before': { type: 'string' },
      'created-after': { type: 'string' },
      'created-before': { type: 'string' },
      'id-from': { type: 'string' },
      'id-to': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'max-rps': { type: 'string' },
      'page-size': { type: 'string' },
      concurrency: { type: 'string' },
      'workflow-id': { type: 'string' },
      detach: { type: 'boolean' },
    },
  });
}

/**
 * `--object` takes the hub's name (contact) or the system's own, singular or plural (`--from shop --object user`);
 * anything else is left for the schema to refuse by name.
 */
function canonicalObject(value: string | undefined, system: SystemLabel | undefined): string | undefined {
  if (value === undefined || (CRM_OBJECTS as readonly string[]).includes(value)) return value;
  const wanted = value.toLowerCase();
  const own = Object.entries(system?.objects ?? {}).find(([, name]) => [name, name.replace(/s$/, ''), name.replace(/es$/, '')].includes(wanted));
  return own ? own[0] : value;
}

function heldObjects(system: SystemLabel | undefined): string[] | null {
  return system?.objects ? CRM_OBJECTS.filter((object) => system.objects?.[object] !== undefined) : null;
}

function optional(field: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [field]: value };
}

/** A number when the text is one; otherwise the text itself, which the schema then refuses by name. */
function numeric(field: string, value: string | undefined): Record<string, number | string> {
  if (value === undefined) return {};
  const number = Number(value);
  return { [field]: value.trim() !== '' && Number.isFinite(number) ? number : value };
}
