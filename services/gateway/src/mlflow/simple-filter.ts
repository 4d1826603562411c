import { MlflowError } from './errors.ts';

/**
 * The filter grammar MLflow accepts for experiments, registered models, model
 * versions and logged models: `<key> <op> <value>` clauses joined by AND,
 * keys like `name`, `attributes.name`, `tags.<key>` / `tag.<key>` (backquoted
 * when they hold dots), ops = != < <= > >= LIKE ILIKE IN. (Runs have their own,
 * richer grammar: the view's search evaluator.)
 */
export interface Clause {
  key: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
  value: string | number | Array<string | number>;
}

const TOKEN = /\s*(?:((?:[A-Za-z_]\w*|`[^`]*`)(?:\.(?:[A-Za-z_]\w*|`[^`]*`))*)|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(!=|<=|>=|=|<|>|\(|\)|,))/y;

type Token = { kind: 'word' | 'string' | 'number' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid filter '${text}': cannot parse at "${text.slice(at, at + 20)}"`);
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'word', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'string', text: m[2].slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'number', text: m[3] });
    else tokens.push({ kind: 'punct', text: m[4]! });
  }
  return tokens;
}

/** `tags.\`a.b\`` → `tags.a.b`; `attributes.name` / `attribute.name` → `name`; `tag.k` → `tags.k`. */
function normalizeKey(word: string): string {
  const unquoted = word.replace(/`/g, '');
  const dot = unquoted.indexOf('.');
  if (dot < 0) return unquoted;
  const head = unquoted.slice(0, dot).toLowerCase();
  const rest = unquoted.slice(dot + 1);
  if (head === 'attribute' || head === 'attributes') return rest;
  if (head === 'tag' || head === 'tags') return `tags.${rest}`;
  if (head === 'param' || head === 'params') return `params.${rest}`;
  return unquoted;
}

export function parseSimpleFilter(text: string | undefined): Clause[] {
  if (!text?.trim()) return [];
  const tokens = tokenize(text);
  const clauses: Clause[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid filter '${text}': ${why}`);
  };
  const literal = (t: Token | undefined): string | number => (t?.kind === 'string' ? t.text : t?.kind === 'number' ? Number(t.text) : fail(`expected a value, got ${t ? JSON.stringify(t.text) : 'the end'}`));
  for (;;) {
    const key = tokens[i++];
    if (key?.kind !== 'word') fail(`expected a key, got ${key ? JSON.stringify(key.text) : 'the end'}`);
    let opToken = tokens[i++];
    let op = opToken?.text.toUpperCase() ?? '';
    if (op === 'NOT' && tokens[i]?.text.toUpperCase() === 'IN') {
      i++;
      op = 'NOT IN';
    }
    if (!['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'].includes(op)) fail(`invalid comparator ${JSON.stringify(opToken?.text ?? '')}`);
    let value: Clause['value'];
    if (op === 'IN' || op === 'NOT IN') {
      if (tokens[i++]?.text !== '(') fail('expected ( after IN');
      const items: Array<string | number> = [];
      for (;;) {
        items.push(literal(tokens[i++]));
        opToken = tokens[i++];
        if (opToken?.text === ')') break;
        if (opToken?.text !== ',') fail('expected , or ) in an IN list');
      }
      value = items;
    } else value = literal(tokens[i++]);
    clauses.push({ key: normalizeKey(key!.text), op: op as Clause['op'], value });
    if (i >= tokens.length) return clauses;
    if (tokens[i++]?.text.toUpperCase() !== 'AND') fail('clauses must be joined by AND');
  }
}

/** SQL LIKE: % any run, _ one character. */
const likeRegex = (pattern: string, flags: string) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, flags);

const compare = (a: string | number, b: string | number): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

/** Whether an entity passes every clause; `get` answers a key's value (undefined: absent, which fails every op but !=). */
export function matchesAll(clauses: readonly Clause[], get: (key: string) => string | number | undefined): boolean {
  return clauses.every(({ key, op, value }) => {
    const actual = get(key);
    if (actual === undefined) return op === '!=' || op === 'NOT IN';
    const asActual = (v: string | number) => (typeof actual === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : typeof actual === 'string' ? String(v) : v);
    switch (op) {
      case 'IN':
      case 'NOT IN': {
        const found = (value as Array<string | number>).some((v) => compare(actual, asActual(v)) === 0);
        return op === 'IN' ? found : !found;
      }
      case 'LIKE':
      case 'ILIKE':
        return likeRegex(String(value), op === 'ILIKE' ? 'i' : '').test(String(actual));
      default: {
        const c = compare(actual, asActual(value as string | number));
        return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      }
    }
  });
}

export interface OrderKey {
  key: string;
  ascending: boolean;
}

/** `["name ASC", "creation_time DESC"]` → keys; MLflow's default direction is ascending. */
export function parseOrderBy(orderBy: readonly string[]): OrderKey[] {
  return orderBy.map((clause) => {
    const m = /^\s*(`[^`]+`|[\w.`]+)\s*(ASC|DESC)?\s*$/i.exec(clause);
    if (!m) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${clause}'`);
    return { key: normalizeKey(m[1]!), ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}

export function sortBy<T>(items: T[], keys: readonly OrderKey[], get: (item: T, key: string) => string | number | undefined): T[] {
  return items.sort((a, b) => {
    for (const { key, ascending } of keys) {
      const x = get(a, key);
      const y = get(b, key);
      if (x === y) continue;
      // Absent values last, whatever the direction (as MLflow sorts NULLs).
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = compare(x, y);
      if (c !== 0) return ascending ? c : -c;
    }
    return 0;
  });
}

// ---- pages ------------------------------------------------------------------------

/** MLflow's page tokens are base64 JSON `{"offset": n}`; ours too, so a client cannot tell them apart. */
export const pageToken = (offset: number): string => Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');

export function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // answered below
  }
  throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid page token, could not parse '${token}'`);
}

/** One page of `items` and the token of the next one (absent on the last page). */
export function page<T>(items: readonly T[], maxResults: number, token: string | undefined): { items: T[]; next?: string } {
  const offset = offsetOf(token);
  const slice = items.slice(offset, offset + maxResults);
  return offset + maxResults < items.length ? { items: slice, next: pageToken(offset + maxResults) } : { items: slice };
}
