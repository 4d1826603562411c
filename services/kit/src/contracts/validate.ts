import type avro from 'avsc';

export interface Violation {
  /** Dotted path from the record root, e.g. `metrics[3].value`. */
  path: string;
  message: string;
}

const render = (parts: Array<string | number>): string =>
  parts.reduce<string>((acc, p) => (typeof p === 'number' || /^\d+$/.test(String(p)) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : String(p)), '');

const describe = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const expected = (type: avro.Type): string => {
  const t = type as avro.Type & { typeName?: string; name?: string; types?: avro.Type[] };
  if (t.typeName === 'union:unwrapped' || t.typeName === 'union:wrapped') return (t.types ?? []).map(expected).join(' or ');
  return t.name ?? t.typeName ?? 'a valid value';
};

/** True when no number anywhere in `value` is NaN or ±Infinity (fast path, no paths kept). */
export function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!allFinite(v[i])) return false;
    return true;
  }
  for (const key in v) if (!allFinite((v as Record<string, unknown>)[key])) return false;
  return true;
}

/**
 * Every place where `value` does not match `type`, plus every non-finite
 * number (Avro allows NaN and ±Infinity in doubles; mlstream never does:
 * one NaN poisons every aggregate computed over it).
 */
export function violations(type: avro.Type, value: unknown): Violation[] {
  if (type.isValid(value) && allFinite(value)) return [];
  const found: Violation[] = [];
  type.isValid(value, {
    errorHook: (path, val, t) => found.push({ path: render(path), message: `expected ${expected(t)}, got ${describe(val)}` }),
  });
  const walk = (v: unknown, path: Array<string | number>) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) found.push({ path: render(path), message: `expected a finite number, got ${v}` });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i]));
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    }
  };
  walk(value, []);
  // The same spot can be reported by both passes; keep one line per path.
  return [...new Map(found.map((f) => [f.path, f])).values()];
}
