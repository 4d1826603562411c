import { z } from 'zod';

/** A column's logical type as an expectation names it. */
export type ExpectedColumnType = 'numeric' | 'categorical';

/**
 * One expectation of a suite. Shares are fractions in [0, 1]; bounds are
 * inclusive and either may be left out (then only the other one applies).
 */
export type Expectation =
  | { kind: 'column_present'; column: string }
  | { kind: 'column_type'; column: string; type: ExpectedColumnType }
  | { kind: 'null_share_at_most'; column: string; max: number }
  | { kind: 'values_between'; column: string; min?: number; max?: number }
  /** Every value within the reference's [min, max] widened by margin × (max − min) on each side. */
  | { kind: 'within_training_range'; column: string; margin: number }
  | { kind: 'values_in_set'; column: string; values: string[] }
  /** Share of values whose category the reference never saw. */
  | { kind: 'unseen_share_at_most'; column: string; max: number }
  /** Distinct values / non-null values. */
  | { kind: 'unique_share_between'; column: string; min?: number; max?: number }
  | { kind: 'row_count_between'; min?: number; max?: number }
  | { kind: 'mean_between' | 'std_between'; column: string; min?: number; max?: number }
  /** No column the reference does not have. */
  | { kind: 'no_new_columns' };

export type ExpectationKind = Expectation['kind'];

export const expectationKinds = [
  'column_present',
  'column_type',
  'null_share_at_most',
  'values_between',
  'within_training_range',
  'values_in_set',
  'unseen_share_at_most',
  'unique_share_between',
  'row_count_between',
  'mean_between',
  'std_between',
  'no_new_columns',
] as const satisfies readonly ExpectationKind[];

/** Expectations that need a reference (the training profile, or a dataset's previous version). */
export const referenceKinds: ReadonlySet<ExpectationKind> = new Set(['within_training_range', 'unseen_share_at_most', 'no_new_columns']);

export const MAX_SUITE_EXPECTATIONS = 500;

const column = z.string().min(1).max(250);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const share = finite.refine((v) => v >= 0 && v <= 1, 'must be a share between 0 and 1');
const ordered = (e: { min?: number; max?: number }) => e.min === undefined || e.max === undefined || e.min <= e.max;
const orderedMessage = { message: 'min must not exceed max' };
const oneBound = (e: { min?: number; max?: number }) => e.min !== undefined || e.max !== undefined;
const oneBoundMessage = { message: 'give min, max or both' };

/** The zod schema of one expectation: what the API, the SDK and the decider accept. */
export const expectationSchema: z.ZodType<Expectation> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('column_present'), column }),
  z.strictObject({ kind: z.literal('column_type'), column, type: z.enum(['numeric', 'categorical']) }),
  z.strictObject({ kind: z.literal('null_share_at_most'), column, max: share }),
  z
    .strictObject({ kind: z.literal('values_between'), column, min: finite.optional(), max: finite.optional() })
    .refine(oneBound, oneBoundMessage)
    .refine(ordered, orderedMessage),
  z.strictObject({ kind: z.literal('within_training_range'), column, margin: finite.refine((v) => v >= 0, 'margin must not be negative') }),
  z.strictObject({ kind: z.literal('values_in_set'), column, values: z.array(z.string().max(1000)).min(1).max(10_000) }),
  z.strictObject({ kind: z.literal('unseen_share_at_most'), column, max: share }),
  z
    .strictObject({ kind: z.literal('unique_share_between'), column, min: share.optional(), max: share.optional() })
    .refine(oneBound, oneBoundMessage)
    .refine(ordered, orderedMessage),
  z
    .strictObject({
      kind: z.literal('row_count_between'),
      min: finite.refine((v) => Number.isInteger(v) && v >= 0, 'must be a count').optional(),
      max: finite.refine((v) => Number.isInteger(v) && v >= 0, 'must be a count').optional(),
    })
    .refine(oneBound, oneBoundMessage)
    .refine(ordered, orderedMessage),
  z
    .strictObject({ kind: z.enum(['mean_between', 'std_between']), column, min: finite.optional(), max: finite.optional() })
    .refine(oneBound, oneBoundMessage)
    .refine(ordered, orderedMessage),
  z.strictObject({ kind: z.literal('no_new_columns') }),
]) as z.ZodType<Expectation>;

export const suiteSchema = z.array(expectationSchema).max(MAX_SUITE_EXPECTATIONS);

/** Thrown when a suite or the data given to it cannot be evaluated as it stands; the message says how to fix it. */
export class ExpectationInputError extends RangeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExpectationInputError';
  }
}

/** Checks a suite; throws ExpectationInputError listing every problem (path: message). */
export function parseSuite(input: unknown): Expectation[] {
  const parsed = suiteSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(suite)'}: ${i.message}`);
    throw new ExpectationInputError(`invalid expectation suite: ${problems.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

const bounds = (min?: number, max?: number) => `${min ?? '-inf'}..${max ?? '+inf'}`;

/** A short stable name of an expectation, e.g. `null_share_at_most(age, 0.1)`; used as a check name. */
export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'column_present':
      return `column_present(${e.column})`;
    case 'column_type':
      return `column_type(${e.column}, ${e.type})`;
    case 'null_share_at_most':
    case 'unseen_share_at_most':
      return `${e.kind}(${e.column}, ${e.max})`;
    case 'values_between':
    case 'unique_share_between':
    case 'mean_between':
    case 'std_between':
      return `${e.kind}(${e.column}, ${bounds(e.min, e.max)})`;
    case 'within_training_range':
      return `within_training_range(${e.column}, margin ${e.margin})`;
    case 'values_in_set':
      return `values_in_set(${e.column}, ${e.values.length} values)`;
    case 'row_count_between':
      return `row_count_between(${bounds(e.min, e.max)})`;
    case 'no_new_columns':
      return 'no_new_columns';
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}
