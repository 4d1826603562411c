import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSchemaFiles } from './schemas.ts';
import { renderTypes } from './typegen.ts';

describe('generated TypeScript types', () => {
  it('match schemas/ exactly (run `npm run gen:types` after editing a schema)', () => {
    const checkedIn = fs.readFileSync(new URL('./generated/types.ts', import.meta.url), 'utf8');
    expect(checkedIn).toBe(renderTypes(readSchemaFiles()));
  });

  it('render optional fields for defaults, unions unwrapped, enums as literals', () => {
    const text = renderTypes(readSchemaFiles());
    expect(text).toContain("export type Stage = 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' | 'ARCHIVED';");
    expect(text).toMatch(/prediction: number \| string;/);
    expect(text).toMatch(/probabilities\?: null \| Record<string, number>;/);
  });
});
