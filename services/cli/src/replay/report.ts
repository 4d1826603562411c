import type { ReplayReport } from './replay.ts';
import type { ReplayProgress } from './run.ts';

const n = (x: number) => Math.round(x).toLocaleString('en-US');

const duration = (seconds: number) => (seconds >= 3600 ? `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min` : seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${Math.ceil(seconds)} s`);

/** One progress line for stderr: offsets passed of the captured end, events/s, ETA. */
export function formatProgress(p: ReplayProgress): string {
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  return `replay: ${n(p.done)} / ${n(p.total)} offsets (${pct}%), ${n(p.events)} events, ${n(p.perSecond)} events/s, ETA ${p.etaSeconds === null ? '?' : duration(p.etaSeconds)}`;
}

/** The human report: what was read, then one line per table, then the verdict. */
export function formatReport(r: ReplayReport): string {
  const lines: string[] = [];
  const partitions = r.range.partitions;
  const topics = new Set(partitions.map((p) => p.topic)).size;
  lines.push(`replayed into ${r.database} (${r.created ? 'created' : 'existing'}${r.dropped ? ', dropped afterwards' : ''}): ${topics} topic(s), ${partitions.length} partition(s), from ${r.range.from ?? 'the log start'} to ${r.range.to ?? 'the end at the start of the replay'}`);
  lines.push(`read ${n(r.read.records)} records (${n(r.read.events)} events${r.read.undecodable.length ? `, ${r.read.undecodable.length} undecodable skipped: their DeadLetter is replayed from the dead-letter topic` : ''}) in ${r.read.seconds.toFixed(1)} s, ${n(r.read.eventsPerSecond)} events/s, ${r.read.inserts} inserts`);
  if (r.compareWith === null) {
    lines.push('not compared (--no-compare)');
    return lines.join('\n');
  }
  for (const b of r.liveBehind) lines.push(`warning: ${r.compareWith} has ${b.topic}[${b.partition}] only up to offset ${b.liveProgress}, the replay up to ${b.replayedTo}: is its materializer running? differences there may be lag`);
  lines.push('');
  const width = Math.max(28, ...r.tables.map((t) => t.table.length + 2));
  lines.push(`${'table'.padEnd(width)}${'rows replayed'.padStart(14)}${`rows ${r.compareWith}`.slice(0, 24).padStart(26)}  checksum`);
  for (const t of r.tables) {
    const verdict = t.equal === null ? 'not compared' : t.equal ? 'equal' : t.replayed && t.live && t.replayed.rows === t.live.rows && t.replayed.checksum !== t.live.checksum ? 'DIFFERENT (same count, other values)' : 'DIFFERENT';
    lines.push(`${t.table.padEnd(width)}${(t.replayed ? n(t.replayed.rows) : '-').padStart(14)}${(t.live ? n(t.live.rows) : '-').padStart(26)}  ${verdict}${t.note ? `  (${t.note})` : ''}`);
  }
  lines.push('');
  lines.push(r.differences.length ? `${r.differences.length} table(s) differ from ${r.compareWith}: ${r.differences.join(', ')}` : `every compared table equals ${r.compareWith} over the replayed offsets`);
  if (!r.dropped) lines.push(`(drop the replay with: DROP DATABASE ${r.database})`);
  return lines.join('\n');
}
