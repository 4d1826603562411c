// Pure: turns the figures of several rounds of one benchmark into medians,
// ratio spreads and goal verdicts (bench/run.ts prints and writes them).

export interface Goal {
  /** What the goal is about: the ratio to the ceiling, or the figure itself. */
  on: 'ratio' | 'value';
  atLeast?: number;
  atMost?: number;
  /** How the goal reads in the table, e.g. ">= 0.70 of raw producer". */
  text: string;
}

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  /** Measured in the same round; the ratio is value / ceiling.value. */
  ceiling?: { what: string; value: number };
  goal?: Goal;
}

export interface Bench {
  needsStack: boolean;
  /** Default rounds for this bench (5 when absent); `--rounds N` overrides. */
  rounds?: number;
  run: (round: number) => Promise<{ params: Record<string, unknown>; figures: Figure[] }>;
}

export interface FigureSummary extends Figure {
  /** Median of the per-round ratios (each round's figure over the same round's ceiling). */
  ratio?: number;
  spread?: { min: number; max: number };
  rounds: number;
  perRound: Array<{ value: number; ceiling?: number }>;
  verdict: 'pass' | 'short' | 'none';
}

export interface BenchResult {
  name: string;
  at: string;
  machine: { cpus: number; node: string; loadAverage1m: number };
  params: Record<string, unknown>;
  figures: FigureSummary[];
}

export function median(values: number[]): number {
  if (!values.length) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function verdict(goal: Goal | undefined, value: number, ratio: number | undefined): FigureSummary['verdict'] {
  if (!goal) return 'none';
  const x = goal.on === 'ratio' ? ratio : value;
  if (x === undefined || !Number.isFinite(x)) return 'short';
  if (goal.atLeast !== undefined && x < goal.atLeast) return 'short';
  if (goal.atMost !== undefined && x > goal.atMost) return 'short';
  return 'pass';
}

/** Groups the rounds' figures by name (first-seen order) and summarizes each. */
export function summarize(
  name: string,
  rounds: Array<{ params: Record<string, unknown>; figures: Figure[] }>,
  machine: BenchResult['machine'],
  at = new Date().toISOString(),
): BenchResult {
  const byName = new Map<string, Figure[]>();
  for (const round of rounds) for (const f of round.figures) byName.set(f.figure, [...(byName.get(f.figure) ?? []), f]);
  const figures = [...byName.values()].map((seen): FigureSummary => {
    const first = seen[0]!;
    const value = median(seen.map((f) => f.value));
    const withCeiling = seen.filter((f) => f.ceiling);
    const ratios = withCeiling.map((f) => f.value / f.ceiling!.value);
    const ratio = ratios.length ? median(ratios) : undefined;
    return {
      figure: first.figure,
      unit: first.unit,
      value,
      ...(withCeiling.length ? { ceiling: { what: first.ceiling!.what, value: median(withCeiling.map((f) => f.ceiling!.value)) } } : {}),
      ...(first.goal ? { goal: first.goal } : {}),
      ...(ratio === undefined ? {} : { ratio, spread: { min: Math.min(...ratios), max: Math.max(...ratios) } }),
      rounds: seen.length,
      perRound: seen.map((f) => (f.ceiling ? { value: f.value, ceiling: f.ceiling.value } : { value: f.value })),
      verdict: verdict(first.goal, value, ratio),
    };
  });
  return { name, at, machine, params: rounds.at(-1)?.params ?? {}, figures };
}
