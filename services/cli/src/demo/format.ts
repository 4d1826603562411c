import type { DriftMeasured, RetrainRequested } from '@mlstream/kit';

/** `12.3s` or `2m05s`: elapsed time on every progress line. */
export function clock(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1).padStart(4)}s`;
  return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

export const percent = (x: number | null | undefined, digits = 0) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-');
export const fixed = (x: number | null | undefined, digits = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-');
export const count = (n: number) => n.toLocaleString('en-US');

/** A plain text table: header, rule, rows; numbers right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>): string[] {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? count(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[-\d.,%]+$/.test(String(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}

/** One compact line per drift window, as it arrives. */
export function windowLine(m: DriftMeasured): string {
  const index = `window ${String(m.window.index).padStart(2)}`;
  const accuracy = m.performance?.accuracy != null ? `  accuracy ${fixed(m.performance.accuracy, 2)} (${count(m.performance.labeled)} labels)` : '';
  if (m.features.length === 0) return `${index}  reference (${count(m.window.count)} predictions)${accuracy}`;
  const drifted = m.features.filter((f) => f.drifted).map((f) => f.feature);
  const verdict = m.datasetDrift ? 'DRIFT' : 'ok   ';
  const prediction = m.predictionDrift?.drifted ? '  prediction drift' : '';
  return `${index}  ${verdict} drifted ${percent(m.driftedShare).padStart(4)} ${drifted.length ? `[${drifted.join(', ')}]` : '[]'}${accuracy}${prediction}`;
}

/** The banner printed when a RetrainRequested reaches the subscriber. */
export function retrainBanner(r: RetrainRequested, via: string): string[] {
  const text = [`RetrainRequested  ${r.model} v${r.version}  (received via ${via})`, r.reason, `idempotencyKey ${r.idempotencyKey}  evidence: ${r.evidence.length} drift events`];
  const width = Math.max(...text.map((t) => t.length)) + 2;
  return [`╔${'═'.repeat(width)}╗`, ...text.map((t) => `║ ${t.padEnd(width - 1)}║`), `╚${'═'.repeat(width)}╝`];
}
