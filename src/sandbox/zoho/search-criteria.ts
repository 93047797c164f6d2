import { ZohoHttpError, zohoError } from './errors';

export const SEARCH_OPERATORS = [
  'equals', 'not_equal', 'starts_with', 'in', 'greater_than', 'greater_equal', 'less_than', 'less_equal', 'between',
] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

export type Criteria =
  | { kind: 'cond'; field: string; op: SearchOperator; values: string[] }
  | { kind: 'and' | 'or'; children: Criteria[] };

export const MAX_CONDITIONS = 10;

function invalid(reason: string, extra: Record<string, unknown> = {}): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('INVALID_QUERY', 'Invalid query formed', { reason, ...extra }));
}

/** Splits on an unescaped separator and removes Zoho's backslash escapes of ( ) , and \ from each part. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i += 1;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/**
 * Parses `((Email:equals:a@b.com)and(Last_Name:starts_with:M))`. Groups may nest; a level mixing `and`
 * and `or` is folded left to right (Zoho expects parentheses there; we do not reject it).
 */
export function parseCriteria(input: string): Criteria {
  let pos = 0;
  let conditions = 0;

  const peekWord = (): 'and' | 'or' | null => {
    const rest = input.slice(pos, pos + 3).toLowerCase();
    if (rest.startsWith('and')) return 'and';
    if (rest.startsWith('or')) return 'or';
    return null;
  };

  const condition = (): Criteria => {
    let end = pos;
    while (end < input.length && input[end] !== ')') end += input[end] === '\\' ? 2 : 1;
    const raw = input.slice(pos, end);
    pos = end;
    const first = raw.indexOf(':');
    const second = first < 0 ? -1 : raw.indexOf(':', first + 1);
    if (first < 0 || second < 0) throw invalid('invalid criteria', { criteria: raw });
    const field = raw.slice(0, first).trim();
    const opName = raw.slice(first + 1, second).trim();
    const op = SEARCH_OPERATORS.find((o) => o === opName);
    if (!op) throw invalid('invalid operator', { operator: opName, api_name: field });
    const valueText = raw.slice(second + 1);
    const values = op === 'in' || op === 'between' ? splitUnescaped(valueText, ',') : [splitUnescaped(valueText, '\u0000').join('')];
    if (op === 'between' && values.length !== 2) throw invalid('between needs two values', { api_name: field });
    if (op === 'in' && values.length > 100) throw invalid('too many values for in', { api_name: field });
    conditions += 1;
    if (conditions > MAX_CONDITIONS) throw invalid(`more than ${MAX_CONDITIONS} criteria`);
    return { kind: 'cond', field, op, values };
  };

  const sequence = (): Criteria => {
    let node = group();
    for (;;) {
      const word = peekWord();
      if (!word) return node;
      pos += word.length;
      const next = group();
      node = node.kind === word ? { kind: word, children: [...node.children, next] } : { kind: word, children: [node, next] };
    }
  };

  function group(): Criteria {
    if (input[pos] !== '(') throw invalid('expected (', { position: pos });
    pos += 1;
    const node = input[pos] === '(' ? sequence() : condition();
    if (input[pos] !== ')') throw invalid('expected )', { position: pos });
    pos += 1;
    return node;
  }

  const trimmed = input.trim();
  if (!trimmed.startsWith('(')) input = `(${trimmed})`;
  else input = trimmed;
  const tree = sequence();
  if (pos !== input.length) throw invalid('unexpected text after criteria', { position: pos });
  return tree;
}
