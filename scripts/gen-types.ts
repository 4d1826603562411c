// Regenerates services/kit/src/contracts/generated/types.ts from schemas/.
import fs from 'node:fs';
import path from 'node:path';
import { readSchemaFiles } from '../services/kit/src/contracts/schemas.ts';
import { renderTypes } from '../services/kit/src/contracts/typegen.ts';

const target = path.resolve(import.meta.dirname, '../services/kit/src/contracts/generated/types.ts');
fs.writeFileSync(target, renderTypes(readSchemaFiles()));
console.log(`wrote ${path.relative(process.cwd(), target)}`);
