import { MlstreamError } from '@mlstream/kit';

/**
 * MLflow's run search grammar, parsed into an AST (no SQL here):
 *
 *   filter   := clause ( AND clause )*
 *   clause   := [entity '.'] key op value   (no entity: an attribute, as in MLflow) | entity '.' key [NOT] IN '(' value (',' value)* ')' | entity '.' key IS [NOT] NULL
 *   entity   := metrics | metric | params | param | parameters | tags | tag | attributes | attribute | attr | run | datasets | dataset
 *   key      := [A-Za-z0-9_./:-]+ | "quoted" | `quoted`
 *   op       := = | != | <> | > | >= | < | <= | LIKE | ILIKE
 *   value    := number | 'string' | "string"
 *   order_by := entity '.' key [ASC | DESC]
 *
 * OR is not part of MLflow's grammar and is rejected with a clear message.
 * Attribute names and dataset keys are checked here and resolved to their
 * canonical name (`attributes.name` → `run_name`, `created` → `start_time`),
 * and each clause's value type is checked against what it compares, so the
 * ClickHouse compiler and the gateway's in-memory evaluator accept the same
 * filters.
 */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';
export type Literal = string | number;

export interface Clause {
  entity: Entity;
  key: string;
  op: Comparator;
  /** null for IS NULL / IS NOT NULL; a list for IN / NOT IN. */
  value: Literal | Literal[] | null;
}

/** Run attributes a filter or order_by may name (MLflow's, then mlstream's own), and what they compare as. */
export const RUN_ATTRIBUTES = {
  run_id: 'string',
  run_name: 'string',
  status: 'string',
  start_time: 'number',
  end_time: 'number',
  user_id: 'string',
  artifact_uri: 'string',
  lifecycle_stage: 'string',
  experiment_id: 'string',
  experiment: 'string',
  code_version: 'string',
} as const satisfies Record<string, 'string' | 'number'>;
export type RunAttribute = keyof typeof RUN_ATTRIBUTES;

/** Other spellings MLflow (or mlstream's first API) accepts for an attribute. */
const ATTRIBUTE_ALIASES: Record<string, RunAttribute> = {
  name: 'run_name',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
  created: 'start_time',
  Created: 'start_time',
  actor: 'user_id',
};

/** MLflow's dataset keys. Our inputs: datasetId is the name, version the digest. */
export const DATASET_KEYS = ['name', 'digest', 'context'] as const;
export type DatasetKey = (typeof DATASET_KEYS)[number];

/** What a clause or order term compares: numbers (metrics, times) or text. */
export function kindOf(entity: Entity, key: string): 'string' | 'number' {
  if (entity === 'metric') return 'number';
  if (entity === 'attribute') return RUN_ATTRIBUTES[key as RunAttribute] ?? 'string';
  return 'string';
}

function canonicalKey(entity: Entity, key: string, at: number): string {
  if (entity === 'attribute') {
    const name = Object.hasOwn(RUN_ATTRIBUTES, key) ? key : ATTRIBUTE_ALIASES[key];
    if (!name) throw filterError(`unknown attribute "${key}"; expected one of ${Object.keys(RUN_ATTRIBUTES).join(', ')}`, at);
    return name;
  }
  if (entity === 'dataset' && !(DATASET_KEYS as readonly string[]).includes(key)) {
    throw filterError(`unknown dataset key "${key}"; expected datasets.name, datasets.digest or datasets.context`, at);
  }
  return key;
}

/** The value types and comparators MLflow allows per entity (plus IN / NOT IN everywhere). */
function checkClause(clause: Clause, at: number): Clause {
  const { entity, key, op, value } = clause;
  const kind = kindOf(entity, key);
  const name = `${entity === 'dataset' ? 'datasets' : entity}.${key}`;
  if (op === 'IS NULL' || op === 'IS NOT NULL') return clause;
  if ((op === 'LIKE' || op === 'ILIKE') && kind === 'number') {
    throw filterError(entity === 'metric' ? `metrics compare with numbers; ${op} is not allowed` : `${op} applies to params, tags and text attributes, not ${name}`, at);
  }
  if (kind === 'string' && ['>', '>=', '<', '<='].includes(op)) throw filterError(`${name} supports =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL and IS NOT NULL, not ${op}`, at);
  if (entity === 'attribute' && key === 'run_id' && (op === 'LIKE' || op === 'ILIKE')) throw filterError(`attributes.run_id supports =, !=, IN and NOT IN, not ${op}`, at);
  for (const v of Array.isArray(value) ? value : [value]) {
    if (kind === 'number' && typeof v !== 'number') throw filterError(`${name} compares with a number, got '${String(v)}'`, at);
    if (kind === 'string' && typeof v !== 'string') throw filterError(`${name} compares with a quoted string, got ${String(v)}`, at);
  }
  return clause;
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
  dataset: 'dataset', datasets: 'dataset',
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
    // MLflow: an identifier without an entity prefix names an attribute (`status = 'KILLED'`, `run_name LIKE 'a%'`).
    if (t.kind === 'string' && t.quote !== "'" && !this.isOp('.')) return { entity: 'attribute', key: canonicalKey('attribute', t.text, t.at) };
    if (t.kind !== 'word') throw filterError('expected metrics.<key>, params.<key>, tags.<key>, datasets.<key> or an attribute', t.at);
    if (!this.isOp('.')) return { entity: 'attribute', key: canonicalKey('attribute', t.text, t.at) };
    const entity = ENTITIES[t.text.toLowerCase()];
    if (!entity) throw filterError(`unknown entity "${t.text}"; expected metrics, params, tags, attributes or datasets`, t.at);
    this.expectOp('.');
    const k = this.next();
    if (k.kind === 'string' && k.quote !== "'") return { entity, key: canonicalKey(entity, k.text, k.at) };
    if (k.kind !== 'word' && k.kind !== 'number') throw filterError(`expected a key after "${t.text}."`, k.at);
    let key = k.kind === 'word' ? k.text : String(k.value);
    while (this.isOp('.')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'word' && part.kind !== 'number') throw filterError('expected a key part after "."', part.at);
      key += `.${part.kind === 'word' ? part.text : String(part.value)}`;
    }
    if (!key) throw filterError('empty key', k.at);
    return { entity, key: canonicalKey(entity, key, k.at) };
  }

  literal(): Literal {
    const t = this.next();
    if (t.kind === 'number') return t.value;
    if (t.kind === 'string' && t.quote !== '`') return t.text;
    throw filterError('expected a number or a quoted string', t.at);
  }

  clause(): Clause {
    const at = this.peek().at;
    const { entity, key } = this.field();
    const t = this.next();
    let op: Comparator;
    if (t.kind === 'word' && t.text.toUpperCase() === 'IS') {
      const negated = this.isWord('NOT');
      if (negated) this.next();
      const n = this.next();
      if (n.kind !== 'word' || n.text.toUpperCase() !== 'NULL') throw filterError(`expected NULL after IS${negated ? ' NOT' : ''}`, n.at);
      return { entity, key, op: negated ? 'IS NOT NULL' : 'IS NULL', value: null };
    }
    if (t.kind === 'op' && ['=', '!=', '>', '>=', '<', '<='].includes(t.text)) op = t.text as Comparator;
    else if (t.kind === 'word' && ['LIKE', 'ILIKE', 'IN'].includes(t.text.toUpperCase())) op = t.text.toUpperCase() as Comparator;
    else if (t.kind === 'word' && t.text.toUpperCase() === 'NOT' && this.isWord('IN')) {
      this.next();
      op = 'NOT IN';
    } else throw filterError('expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)', t.at);
    if (op === 'IN' || op === 'NOT IN') {
      this.expectOp('(');
      const values: Literal[] = [this.literal()];
      while (this.isOp(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectOp(')');
      return checkClause({ entity, key, op, value: values }, at);
    }
    return checkClause({ entity, key, op, value: this.literal() }, at);
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
  if (entity === 'dataset') throw filterError('order_by cannot name datasets; order by metrics, params, tags or attributes');
  let descending = false;
  if (p.isWord('DESC')) {
    p.next();
    descending = true;
  } else if (p.isWord('ASC')) p.next();
  if (p.peek().kind !== 'end') throw filterError(`unexpected text after order_by "${input}"`, p.peek().at);
  return { entity, key, descending };
}
