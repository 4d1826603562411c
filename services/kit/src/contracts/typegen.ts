import type avro from 'avsc';
import type { SchemaFile } from './schemas.ts';

/**
 * Renders TypeScript types for every schema file, as avsc decodes them:
 * long → number, bytes → Buffer, map → Record, unions unwrapped, enums as
 * string-literal unions. `npm run gen:types` writes the result to
 * generated/types.ts; a unit test fails when the two drift apart.
 */
export function renderTypes(files: SchemaFile[]): string {
  const declared = new Map<string, string>(); // full name → TS name
  const blocks: string[] = [];

  const tsName = (fullName: string) => fullName.split('.').pop()!;

  const typeOf = (t: avro.Schema, namespace: string): string => {
    if (typeof t === 'string') {
      switch (t) {
        case 'null':
          return 'null';
        case 'boolean':
          return 'boolean';
        case 'int':
        case 'long':
        case 'float':
        case 'double':
          return 'number';
        case 'string':
          return 'string';
        case 'bytes':
          return 'Buffer';
        default: {
          const full = t.includes('.') ? t : `${namespace}.${t}`;
          const known = declared.get(full) ?? declared.get(t);
          if (!known) throw new Error(`unknown named type ${t}`);
          return known;
        }
      }
    }
    if (Array.isArray(t)) return t.map((m) => typeOf(m, namespace)).join(' | ');
    const s = t as { type: string; logicalType?: string } & Record<string, unknown>;
    switch (s.type) {
      case 'array':
        return `Array<${typeOf(s.items as avro.Schema, namespace)}>`;
      case 'map':
        return `Record<string, ${typeOf(s.values as avro.Schema, namespace)}>`;
      case 'enum':
      case 'record':
      case 'fixed':
        return declare(s as never, namespace);
      default:
        return typeOf(s.type as avro.Schema, namespace);
    }
  };

  const doc = (text: unknown, indent = '') => (typeof text === 'string' && text ? `${indent}/** ${text} */\n` : '');

  function declare(s: { type: string; name: string; namespace?: string; doc?: string; symbols?: string[]; fields?: avro.schema.RecordType['fields'] }, namespace: string): string {
    const ns = s.namespace ?? (s.name.includes('.') ? s.name.slice(0, s.name.lastIndexOf('.')) : namespace);
    const full = s.name.includes('.') ? s.name : `${ns}.${s.name}`;
    const existing = declared.get(full);
    if (existing) return existing;
    const name = tsName(full);
    if ([...declared.values()].includes(name)) {
      // Same short name in another namespace: only allowed when structurally identical; keep the first.
      declared.set(full, name);
      return name;
    }
    declared.set(full, name);
    if (s.type === 'enum') {
      blocks.push(`${doc(s.doc)}export type ${name} = ${s.symbols!.map((x) => `'${x}'`).join(' | ')};\n`);
    } else if (s.type === 'fixed') {
      blocks.push(`${doc(s.doc)}export type ${name} = Buffer;\n`);
    } else {
      const fields = s.fields!.map((f) => {
        const optional = f.default !== undefined ? '?' : '';
        return `${doc(f.doc, '  ')}  ${f.name}${optional}: ${typeOf(f.type, ns)};`;
      });
      blocks.push(`${doc(s.doc)}export interface ${name} {\n${fields.join('\n')}\n}\n`);
    }
    return name;
  }

  for (const f of files) declare(f.schema as never, f.schema.namespace ?? '');
  const names = files.map((f) => f.name);
  const recordMap = names.map((n) => `  ${n}: ${n};`).join('\n');
  const fullNames = files.map((f) => `  ${f.name}: '${f.fullName}',`).join('\n');
  return [
    '// Generated from schemas/**/*.avsc by `npm run gen:types`. Do not edit by hand:',
    '// services/kit/src/contracts/typegen.test.ts fails when this file and the schemas differ.',
    '',
    ...blocks,
    '/** Every top-level record, by its short name (= the Avro record name). */',
    `export interface RecordTypes {\n${recordMap}\n}\n`,
    'export type RecordName = keyof RecordTypes;\n',
    '/** Avro full name of each record; also its CloudEvents `ce_type`. */',
    `export const recordFullNames = {\n${fullNames}\n} as const satisfies Record<RecordName, string>;\n`,
  ].join('\n');
}
