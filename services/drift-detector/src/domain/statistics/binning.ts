import { StatisticsInputError } from './errors.ts';

// The quantile bins live in kit beside the dataset profile that defines a reference's bins.
export { histogram, quantileBinEdges, type HistogramOptions } from '@mlstream/kit/profile';

/** Category counts aligned over the union of categories, sorted by name so the order is deterministic. */
export function alignCategories(reference: Readonly<Record<string, number>>, current: Readonly<Record<string, number>>): { categories: string[]; reference: number[]; current: number[] } {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  return { categories, reference: categories.map((c) => reference[c] ?? 0), current: categories.map((c) => current[c] ?? 0) };
}

/** counts / total. `total` defaults to the sum of the counts; pass the row count when some rows fell outside the bins. */
export function proportions(counts: readonly number[], total = counts.reduce((s, c) => s + c, 0)): number[] {
  if (!(total > 0)) throw new StatisticsInputError(`proportions need a positive total, got ${total}`);
  return counts.map((c) => c / total);
}
