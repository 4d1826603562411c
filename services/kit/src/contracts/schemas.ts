import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';

/** The repository's `schemas/` folder (kit lives at services/kit/src/contracts). */
export const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schemas');

export interface SchemaFile {
  /** Short record name, e.g. `RunStarted` (unique across the catalog). */
  name: string;
  /** Avro full name, e.g. `dev.mlstream.runs.RunStarted`; also the CloudEvents `ce_type`. */
  fullName: string;
  /** Folder under schemas/, e.g. `runs-commands`. */
  folder: string;
  /** Path relative to the repository root. */
  file: string;
  schema: avro.schema.RecordType;
}

/** Reads every `schemas/<folder>/<Record>.avsc`, sorted by path for stable output. */
export function readSchemaFiles(dir: string = schemasDir): SchemaFile[] {
  const files: SchemaFile[] = [];
  for (const folder of fs.readdirSync(dir).sort()) {
    const folderPath = path.join(dir, folder);
    if (!fs.statSync(folderPath).isDirectory()) continue;
    for (const entry of fs.readdirSync(folderPath).sort()) {
      if (!entry.endsWith('.avsc')) continue;
      const schema = JSON.parse(fs.readFileSync(path.join(folderPath, entry), 'utf8')) as avro.schema.RecordType;
      const name = entry.replace(/\.avsc$/, '');
      if (schema.name !== name) throw new Error(`schemas/${folder}/${entry}: record name ${schema.name} must equal the file name`);
      files.push({ name, fullName: `${schema.namespace}.${schema.name}`, folder, file: `schemas/${folder}/${entry}`, schema });
    }
  }
  return files;
}

/** avsc type of a schema, parsed the one way every mlstream component parses it. */
export const parseSchema = (schema: avro.Schema, options: Partial<avro.ForSchemaOptions> = {}): avro.Type => avro.Type.forSchema(schema, { ...options, wrapUnions: 'auto' });
