import { ZohoHttpError, zohoError } from './errors';

/** Literal with its source text kept, so 19-digit ids are never squeezed through a double. */
export interface Literal {
  text: string;
  kind: 'string' | 'number' | 'boolean' | 'null';
}

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'not like' | 'in' | 'not in' | 'is null' | 'is not null' | 'between' | 'not between';

export type Condition = { kind: 'and' | 'or'; children: Condition[] } | { kind: 'cmp'; field: string; op: CmpOp; values: Literal[] };

export interface CoqlQuery {
  fields: string[];
  module: string;
  where: Condition | null;
  orderBy: Array<{ field: string; dir: 'asc' | 'desc' }>;
  limit: number;
  offset: number;
  /** Number of comparisons in WHERE (Zoho allows at most 25). */
  conditions: number;
}

const BINARY_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;

interface Token {
  type: 'word' | 'string' | 'number' | 'punct';
  text: string;
}

export function syntaxError(clause: string, near?: string): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('SYNTAX_ERROR', 'error occured while parsing the query', near === undefined ? { clause } : { clause, near }));
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:('(?:[^'\\]|\\.|'')*')|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_$][\w$.]*)|(<=|>=|!=|<>|[(),=<>*]))/y;
  let pos = 0;
  while (pos < sql.length) {
    if (/^\s*$/.test(sql.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(sql);
    if (!m) throw syntaxError('query', sql.slice(pos, pos + 20).trim());
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ type: 'string', text: m[1].slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ type: 'number', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ type: 'word', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ type: 'punct', text: m[4] === '<>' ? '!=' : m[4] });
  }
  return tokens;
}

/** Parses the supported subset: SELECT a, b FROM M [WHERE ...] [ORDER BY f [ASC|DESC], ...] [LIMIT [offset,] n | LIMIT n OFFSET m]. */
export function parseCoql(sql: string): CoqlQuery {
  const tokens = tokenize(sql);
  let i = 0;
  let conditions = 0;
  const peek = (): Token | undefined => tokens[i];
  const isKw = (kw: string): boolean => peek()?.type === 'word' && peek()?.text.toLowerCase() === kw;
  const expectKw = (kw: string, clause: string): void => {
    if (!isKw(kw)) throw syntaxError(clause, peek()?.text);
    i += 1;
  };
  const word = (clause: string): string => {
    const t = peek();
    if (t?.type !== 'word') throw syntaxError(clause, t?.text);
    i += 1;
    return t.text;
  };
  const punct = (p: string): boolean => {
    if (peek()?.type === 'punct' && peek()?.text === p) {
      i += 1;
      return true;
    }
    return false;
  };
  const literal = (): Literal => {
    const t = peek();
    i += 1;
    if (t?.type === 'string') return { text: t.text, kind: 'string' };
    if (t?.type === 'number') return { text: t.text, kind: 'number' };
    if (t?.type === 'word' && /^(true|false)$/i.test(t.text)) return { text: t.text.toLowerCase(), kind: 'boolean' };
    if (t?.type === 'word' && /^null$/i.test(t.text)) return { text: 'null', kind: 'null' };
    throw syntaxError('where', t?.text);
  };

  const comparison = (): Condition => {
    const field = word('where');
    conditions += 1;
    const negated = isKw('not') ? (i += 1, true) : false;
    if (isKw('is')) {
      i += 1;
      const not = isKw('not') ? (i += 1, true) : false;
      expectKw('null', 'where');
      return { kind: 'cmp', field, op: not ? 'is not null' : 'is null', values: [] };
    }
    if (isKw('in')) {
      i += 1;
      if (!punct('(')) throw syntaxError('where', peek()?.text);
      const values = [literal()];
      while (punct(',')) values.push(literal());
      if (!punct(')')) throw syntaxError('where', peek()?.text);
      return { kind: 'cmp', field, op: negated ? 'not in' : 'in', values };
    }
    if (isKw('between')) {
      i += 1;
      const low = literal();
      expectKw('and', 'where');
      return { kind: 'cmp', field, op: negated ? 'not between' : 'between', values: [low, literal()] };
    }
    if (isKw('like')) {
      i += 1;
      return { kind: 'cmp', field, op: negated ? 'not like' : 'like', values: [literal()] };
    }
    const t = peek();
    const op = t?.type === 'punct' ? BINARY_OPS.find((o) => o === t.text) : undefined;
    if (negated || !op) throw syntaxError('where', t?.text);
    i += 1;
    return { kind: 'cmp', field, op, values: [literal()] };
  };

  const primary = (): Condition => {
    if (punct('(')) {
      const inner = orExpr();
      if (!punct(')')) throw syntaxError('where', peek()?.text);
      return inner;
    }
    return comparison();
  };
  const chain = (kw: 'and' | 'or', next: () => Condition): Condition => {
    const first = next();
    const children = [first];
    while (isKw(kw)) {
      i += 1;
      children.push(next());
    }
    return children.length === 1 ? first : { kind: kw, children };
  };
  const andExpr = (): Condition => chain('and', primary);
  function orExpr(): Condition {
    return chain('or', andExpr);
  }

  expectKw('select', 'select');
  const fields = [word('select')];
  while (punct(',')) fields.push(word('select'));
  expectKw('from', 'from');
  const module = word('from');
  const where = isKw('where') ? (i += 1, orExpr()) : null;
  const orderBy: CoqlQuery['orderBy'] = [];
  if (isKw('order')) {
    i += 1;
    expectKw('by', 'order by');
    do {
      const field = word('order by');
      const dir = isKw('desc') ? (i += 1, 'desc' as const) : isKw('asc') ? (i += 1, 'asc' as const) : 'asc';
      orderBy.push({ field, dir });
    } while (punct(','));
  }
  let limit = 200;
  let offset = 0;
  if (isKw('limit')) {
    i += 1;
    const a = Number(literal().text);
    if (punct(',')) {
      offset = a;
      limit = Number(literal().text);
    } else {
      limit = a;
      if (isKw('offset')) {
        i += 1;
        offset = Number(literal().text);
      }
    }
  }
  if (i !== tokens.length) throw syntaxError('query', peek()?.text);
  if (!Number.isInteger(limit) || !Number.isInteger(offset) || limit < 1 || offset < 0) throw syntaxError('limit');
  return { fields, module, where, orderBy, limit, offset, conditions };
}
