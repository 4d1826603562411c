import avro from 'avsc';
import { parseSchema } from './schemas.ts';

/** avsc's write cursor (not in its typings). */
interface Tap {
  writeDouble(value: number): void;
  writeFloat(value: number): void;
}

type TypeClass = new (schema: avro.Schema, opts: object) => avro.Type;

class FiniteDoubleType extends (avro.types.DoubleType as unknown as TypeClass) {
  _write(tap: Tap, value: unknown) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`expected a finite double, got ${String(value)}`);
    tap.writeDouble(value);
  }
}

class FiniteFloatType extends (avro.types.FloatType as unknown as TypeClass) {
  _write(tap: Tap, value: unknown) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`expected a finite float, got ${String(value)}`);
    tap.writeFloat(value);
  }
}

const typeHook = (schema: avro.Schema, opts: object): avro.Type | undefined => {
  const name = typeof schema === 'string' ? schema : typeof schema === 'object' && schema !== null && !Array.isArray(schema) && !(schema as { logicalType?: unknown }).logicalType ? (schema as { type?: unknown }).type : undefined;
  if (name === 'double') return new FiniteDoubleType({ type: 'double' }, opts);
  if (name === 'float') return new FiniteFloatType({ type: 'float' }, opts);
  return undefined;
};

/**
 * `parseSchema` whose doubles and floats refuse NaN and ±Infinity when written
 * (Avro allows them; mlstream never does: one NaN poisons every aggregate over
 * it). The check happens where avsc already checks each value's type, so
 * encoding validates in one pass over the record instead of a second walk.
 * Reading, comparing and resolving are avsc's own.
 */
export const parseForWriting = (schema: avro.Schema): avro.Type => parseSchema(schema, { typeHook } as Partial<avro.ForSchemaOptions>);
