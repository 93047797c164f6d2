import { z } from 'zod';

export interface RuleIssue {
  /** Dotted path into the config, e.g. "mappings.contact.2.transform.kind" ("(root)" for the whole document). */
  path: string;
  message: string;
}

type RawIssue = z.core.$ZodIssue;
type PathPart = PropertyKey;

/**
 * Flattens zod issues into one line per bad path. A union failure is replaced by the issues of the branch the input
 * came closest to matching, so a config author reads "op: expected one of …" rather than "Invalid input".
 */
export function describeIssues(root: z.core.$ZodType, issues: readonly RawIssue[], prefix: readonly PathPart[] = []): RuleIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      return describeIssues(root, closestBranch(issue.errors), path);
    }
    // our own (custom) messages already say what is expected; zod's generic ones gain the field's description
    const description = issue.code === 'custom' ? undefined : descriptionAt(root, path);
    return [{ path: formatPath(path), message: description ? `${issue.message} (${description})` : issue.message }];
  });
}

function closestBranch(branches: readonly (readonly RawIssue[])[]): readonly RawIssue[] {
  let best: readonly RawIssue[] = [];
  let bestScore = -1;
  for (const branch of branches) {
    // deeper paths mean more of the input matched; a wrong type at the branch root means nothing did
    const depth = Math.max(0, ...branch.map((issue) => issue.path.length));
    const shaped = branch.some((issue) => issue.code !== 'invalid_type') ? 1 : 0;
    const score = depth * 10 + shaped;
    if (score > bestScore || (score === bestScore && branch.length < best.length)) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function formatPath(path: readonly PathPart[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

type AnySchema = z.core.$ZodType;

/** The .describe() text of the schema at `path`, looking through wrappers and union options. */
function descriptionAt(root: AnySchema, path: readonly PathPart[]): string | undefined {
  let node: AnySchema | undefined = root;
  for (const key of path) {
    node = node ? child(node, key) : undefined;
  }
  return node ? descriptionOf(node) : undefined;
}

function descriptionOf(schema: AnySchema): string | undefined {
  for (let node: AnySchema | undefined = schema; node; node = unwrapOnce(node)) {
    const description = z.globalRegistry.get(node)?.description;
    if (description) return description;
  }
  return undefined;
}

function unwrapOnce(schema: AnySchema): AnySchema | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return schema.unwrap();
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodLazy) return schema.unwrap();
  if (schema instanceof z.ZodPipe) return schema.in;
  return undefined;
}

function child(schema: AnySchema, key: PathPart): AnySchema | undefined {
  let inner: AnySchema = schema;
  for (let next = unwrapOnce(inner); next; next = unwrapOnce(inner)) inner = next;
  if (inner instanceof z.ZodObject) {
    const shape: Record<string, AnySchema> = inner.shape;
    return typeof key === 'string' && Object.hasOwn(shape, key) ? shape[key] : undefined;
  }
  if (inner instanceof z.ZodArray) return inner.element;
  if (inner instanceof z.ZodRecord) return inner.valueType;
  if (inner instanceof z.ZodUnion) {
    for (const option of inner.options) {
      const found = child(option, key);
      if (found) return found;
    }
  }
  return undefined;
}
