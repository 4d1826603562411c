import { MlstreamError } from '@mlstream/kit';

/**
 * MLflow's run search grammar, parsed into an AST (no SQL here):
 *
 *   filter   := clause ( AND clause )*
 *   clause   := entity '.' key op value | entity '.' key [NOT] IN '(' value (',' value)* ')'
 *   entity   := metrics | metric | params | param | parameters | tags | tag | attributes | attribute | attr | run
 *   key      := [A-Za-z0-9_./:-]+ | "quoted" | `quoted`
 *   op       := = | != | <> | > | >= | < | <= | LIKE | ILIKE
 *   value    := number | 'string' | "string"
 *   order_by := entity '.' key [ASC | DESC]
 *
 * OR is not part of MLflow's grammar and is rejected with a clear message.
 */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
export type Literal = string | number;

export interface Clause {
  entity: Entity;
  key: string;
  op: Comparator;
  value: Literal | Literal[];
}

export interface OrderTerm {
  entity: Entity;
  key: string;
  descending: boolean;
}

const ENTITIES: Record<string, Entity> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
};

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; quote: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; at: number };

export const filterError = (message: string, at?: number): MlstreamError =>
  new MlstreamError('INVALID_FILTER', at === undefined ? message : `${message} (at character ${at + 1})`, { details: at === undefined ? {} : { position: at } });

const MAX_LENGTH = 10_000;

export function tokenize(input: string): Token[] {
  if (input.length > MAX_LENGTH) throw filterError(`filter is longer than ${MAX_LENGTH} characters`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= input.length) throw filterError(`unterminated ${c}-quoted text`, start);
        const d = input[i]!;
        if (d === '\\' && i + 1 < input.length) {
          text += input[i + 1]!;
          i += 2;
        } else if (d === c && input[i + 1] === c) {
          text += c; // SQL style doubled quote
          i += 2;
        } else if (d === c) {
          i += 1;
          break;
        } else {
          text += d;
          i += 1;
        }
      }
      tokens.push({ kind: 'string', text, quote: c, at: start });
      continue;
    }
    const number = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(input.slice(i));
    if (number && (c !== '+' && c !== '-' ? true : tokens[tokens.length - 1]?.kind === 'op')) {
      const value = Number(number[0]);
      if (!Number.isFinite(value)) throw filterError(`number ${number[0]} is out of range`, start);
      tokens.push({ kind: 'number', value, at: start });
      i += number[0].length;
      continue;
    }
    const op = /^(?:!=|<>|>=|<=|=|>|<|\(|\)|,|\.)/.exec(input.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[0] === '<>' ? '!=' : op[0], at: start });
      i += op[0].length;
      continue;
    }
    const word = /^[A-Za-z0-9_:/-]+/.exec(input.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: start });
      i += word[0].length;
      continue;
    }
    throw filterError(`unexpected character ${JSON.stringify(c)}`, start);
  }
  tokens.push({ kind: 'end', at: input.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token {
    return this.tokens[this.i]!;
  }
  next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'end') this.i += 1;
    return t;
  }
  isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === text;
  }
  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  expectOp(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) throw filterError(`expected "${text}"`, t.at);
  }

  /** entity '.' key, where an unquoted key may itself contain dots (metrics.val.acc). */
  field(): { entity: Entity; key: string } {
    const t = this.next();
    if (t.kind !== 'word') throw filterError('expected metrics.<key>, params.<key>, tags.<key> or attributes.<name>', t.at);
    const entity = ENTITIES[t.text.toLowerCase()];
    if (!entity) throw filterError(`unknown entity "${t.text}"; expected metrics, params, tags or attributes`, t.at);
    this.expectOp('.');
    const k = this.next();
    if (k.kind === 'string' && k.quote !== "'") return { entity, key: k.text };
    if (k.kind !== 'word' && k.kind !== 'number') throw filterError(`expected a key after "${t.text}."`, k.at);
    let key = k.kind === 'word' ? k.text : String(k.value);
    while (this.isOp('.')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'word' && part.kind !== 'number') throw filterError('expected a key part after "."', part.at);
      key += `.${part.kind === 'word' ? part.text : String(part.value)}`;
    }
    if (!key) throw filterError('empty key', k.at);
    return { entity, key };
  }

  literal(): Literal {
    const t = this.next();
    if (t.kind === 'number') return t.value;
    if (t.kind === 'string' && t.quote !== '`') return t.text;
    throw filterError('expected a number or a quoted string', t.at);
  }

  clause(): Clause {
    const { entity, key } = this.field();
    const t = this.next();
    let op: Comparator;
    if (t.kind === 'op' && ['=', '!=', '>', '>=', '<', '<='].includes(t.text)) op = t.text as Comparator;
    else if (t.kind === 'word' && ['LIKE', 'ILIKE', 'IN'].includes(t.text.toUpperCase())) op = t.text.toUpperCase() as Comparator;
    else if (t.kind === 'word' && t.text.toUpperCase() === 'NOT' && this.isWord('IN')) {
      this.next();
      op = 'NOT IN';
    } else throw filterError('expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)', t.at);
    if (op === 'IN' || op === 'NOT IN') {
      this.expectOp('(');
      const values: Literal[] = [this.literal()];
      while (this.isOp(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectOp(')');
      return { entity, key, op, value: values };
    }
    return { entity, key, op, value: this.literal() };
  }
}

/** Parses a filter string; empty or blank means no condition. */
export function parseFilter(input: string | undefined): Clause[] {
  if (!input || !input.trim()) return [];
  const p = new Parser(tokenize(input));
  const clauses = [p.clause()];
  while (p.peek().kind !== 'end') {
    if (p.isWord('OR')) throw filterError('OR is not supported; MLflow filters combine clauses with AND', p.peek().at);
    if (!p.isWord('AND')) throw filterError('expected AND between clauses', p.peek().at);
    p.next();
    clauses.push(p.clause());
  }
  return clauses;
}

/** Parses one order_by entry such as `metrics.acc DESC`. */
export function parseOrderBy(input: string): OrderTerm {
  const p = new Parser(tokenize(input));
  const { entity, key } = p.field();
  let descending = false;
  if (p.isWord('DESC')) {
    p.next();
    descending = true;
  } else if (p.isWord('ASC')) p.next();
  if (p.peek().kind !== 'end') throw filterError(`unexpected text after order_by "${input}"`, p.peek().at);
  return { entity, key, descending };
}
