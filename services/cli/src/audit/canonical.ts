/**
 * JSON with object keys sorted (so field order never matters), Buffers as
 * base64, and the named keys left out.
 */
export function canonicalJson(value: unknown, omit: ReadonlySet<string> = new Set()): string {
  const normalize = (v: unknown): unknown => {
    if (Buffer.isBuffer(v)) return v.toString('base64');
    if (Array.isArray(v)) return v.map(normalize);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => !omit.has(k))
          .sort()
          .map((k) => [k, normalize((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(normalize(value));
}
