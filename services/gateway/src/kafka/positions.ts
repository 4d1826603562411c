/**
 * Stream positions as Server-Sent Events ids: `partition:nextOffset,...`
 * for every partition of the topic, e.g. `0:15,1:3,2:7`. Each event's id is
 * the position just after it, so `Last-Event-ID` resumes exactly there.
 */
export type Positions = Map<number, bigint>;

const MAX_PARTITIONS = 10_000;

export function formatPositions(positions: Positions): string {
  return [...positions].sort(([a], [b]) => a - b).map(([p, o]) => `${p}:${o}`).join(',');
}

/** Parses a Last-Event-ID; undefined when it is not a valid position list. */
export function parsePositions(text: string): Positions | undefined {
  if (text.length > 20 * MAX_PARTITIONS) return undefined;
  const out: Positions = new Map();
  for (const part of text.split(',')) {
    const m = /^(\d{1,5}):(\d{1,19})$/.exec(part.trim());
    if (!m) return undefined;
    const partition = Number(m[1]);
    const offset = BigInt(m[2]!);
    if (offset > 9_223_372_036_854_775_807n || out.has(partition)) return undefined;
    out.set(partition, offset);
  }
  return out.size ? out : undefined;
}

/**
 * Where to start reading each partition: the resume position if given (clamped
 * to what the topic still holds), otherwise the beginning or the end.
 */
export function startPositions(
  offsets: Array<{ partition: number; low: string; high: string }>,
  resume: Positions | undefined,
  from: 'earliest' | 'latest',
): Positions {
  const out: Positions = new Map();
  for (const { partition, low, high } of offsets) {
    const lo = BigInt(low);
    const hi = BigInt(high);
    const wanted = resume?.get(partition);
    const start = wanted !== undefined ? wanted : resume ? lo : from === 'earliest' ? lo : hi;
    out.set(partition, start < lo ? lo : start > hi ? hi : start);
  }
  return out;
}
