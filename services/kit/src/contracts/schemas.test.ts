import { describe, expect, it } from 'vitest';
import type avro from 'avsc';
import { topicCatalog } from './catalog.ts';
import { parseSchema, readSchemaFiles } from './schemas.ts';

const files = readSchemaFiles();

type Node = { type?: unknown; doc?: string; fields?: Array<{ name: string; doc?: string; type: unknown }>; items?: unknown; values?: unknown; name?: string };

/** Every record and field without a `doc`, found anywhere in a schema. */
const undocumented = (schema: unknown, path: string): string[] => {
  if (Array.isArray(schema)) return schema.flatMap((s) => undocumented(s, path));
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Node;
  const out: string[] = [];
  if ((node.type === 'record' || node.type === 'enum') && !node.doc) out.push(`${path} (${node.name})`);
  for (const field of node.fields ?? []) {
    if (!field.doc) out.push(`${path}.${field.name}`);
    out.push(...undocumented(field.type, `${path}.${field.name}`));
  }
  if (node.items) out.push(...undocumented(node.items, `${path}[]`));
  if (node.values) out.push(...undocumented(node.values, `${path}{}`));
  return out;
};

describe('schemas/', () => {
  it('has one schema per record of the catalog and no schema outside it', () => {
    const inCatalog = topicCatalog.flatMap((t) => [...t.records]).sort();
    expect(files.map((f) => f.name).sort()).toEqual(inCatalog);
  });

  it('documents every record and field', () => {
    expect(files.flatMap((f) => undocumented(f.schema, f.file))).toEqual([]);
  });

  it('gives every record an eventId (uuid) and occurredAt (timestamp-millis) first', () => {
    for (const f of files) {
      const [first, second] = f.schema.fields as Array<{ name: string; type: { logicalType?: string } }>;
      expect([first?.name, first?.type.logicalType], f.file).toEqual(['eventId', 'uuid']);
      expect([second?.name, second?.type.logicalType], f.file).toEqual(['occurredAt', 'timestamp-millis']);
    }
  });

  it('uses stable dev.mlstream namespaces and parses with avsc', () => {
    for (const f of files) {
      expect(f.fullName, f.file).toMatch(/^dev\.mlstream\.[a-z.]+\.[A-Z][A-Za-z]+$/);
      expect(() => parseSchema(f.schema as avro.Schema)).not.toThrow();
    }
  });
});
