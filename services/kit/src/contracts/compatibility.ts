import type avro from 'avsc';
import { parseSchema } from './schemas.ts';

export interface CompatibilityProblem {
  /** Which earlier version (e.g. a git commit) the new schema cannot read. */
  against: string;
  /** The fields at fault, when they can be named. */
  fields: string[];
  message: string;
}

type Field = { name: string; type: avro.Schema; default?: unknown };

/**
 * Fields that make `reader` unable to read data written with `writer`: new
 * fields without a default, and fields whose types cannot be resolved.
 */
function faultyFields(reader: avro.schema.RecordType, writer: avro.schema.RecordType, prefix = ''): string[] {
  const out: string[] = [];
  const written = new Map((writer.fields as Field[]).map((f) => [f.name, f]));
  for (const field of reader.fields as Field[]) {
    const old = written.get(field.name);
    if (!old) {
      if (field.default === undefined) out.push(`${prefix}${field.name} (added without a default)`);
      continue;
    }
    try {
      parseSchema(field.type).createResolver(parseSchema(old.type));
    } catch {
      out.push(`${prefix}${field.name} (type changed incompatibly)`);
    }
  }
  return out;
}

/**
 * BACKWARD_TRANSITIVE: the new schema must read data written with every
 * earlier version. Returns one problem per earlier version it cannot read.
 */
export function checkBackwardTransitive(next: avro.schema.RecordType, earlier: Array<{ label: string; schema: avro.schema.RecordType }>): CompatibilityProblem[] {
  const reader = parseSchema(next);
  const problems: CompatibilityProblem[] = [];
  for (const { label, schema } of earlier) {
    try {
      reader.createResolver(parseSchema(schema));
    } catch (error) {
      const fields = faultyFields(next, schema);
      problems.push({ against: label, fields, message: `${next.name} cannot read data written with ${label}: ${fields.join(', ') || (error as Error).message}` });
    }
  }
  return problems;
}
