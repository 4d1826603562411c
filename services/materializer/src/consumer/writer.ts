import type { DecodedEvent } from '@mlstream/kit';
import { missingRunStarts, projectBatch, type Row, type TableName } from '../projections/index.ts';
import { dropRepeats, type EventIdWindow } from './dedupe.ts';
import type { Store, Watermarks } from './store.ts';

/** Rows per INSERT stay below ClickHouse's max_insert_block_size (1 048 576), where an insert stops being atomic. */
export const MAX_ROWS_PER_INSERT = 500_000;

/**
 * Cuts a table's rows into inserts at event boundaries (never inside one
 * event's rows), so every insert is atomic and the table stays a prefix of
 * the partition's rows: its max(_offset) then says exactly what it holds.
 */
export function chunkAtEvents(rows: Row[], limit = MAX_ROWS_PER_INSERT): Row[][] {
  const chunks: Row[][] = [];
  let current: Row[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const startsEvent = i === 0 || rows[i - 1]!._offset !== row._offset;
    if (current.length >= limit && startsEvent) {
      chunks.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

export interface WriteResult {
  rows: Partial<Record<TableName, number>>;
  inserts: number;
  /** Facts dropped because their eventId repeats one kept within the dedupe window. */
  repeats: number;
  /** The progress hint was written. */
  progress?: boolean;
}

export interface WriteOptions {
  /** The partition's eventId window (fact streams only): repeats are not written. */
  window?: EventIdWindow;
  /** Checked before every insert: false once this instance may have lost the partition (its group lease lapsed). */
  stillOwner?: () => boolean;
  /**
   * When every table's watermark already reaches the batch's last offset the
   * progress hint adds nothing to a resume (resumeOffset takes the tables'
   * minimum); it is then written only when this says so (dashboards). Absent:
   * always written.
   */
  progressDue?: () => boolean;
}

/** Thrown before an insert this instance may no longer make: the batch is kept and written after the next watermark read. */
export class LeaseLapsedError extends Error {
  constructor(topic: string, partition: number) {
    super(`materializer: the group lease of ${topic}[${partition}] lapsed before an insert`);
    this.name = 'LeaseLapsedError';
  }
}

/**
 * Writes one partition batch: for each table of the topic, ONE insert of the
 * rows above that table's watermark (contiguous offsets, in order), then the
 * progress hint. `watermarks` is updated as each insert succeeds, so a retry
 * after a partial failure never writes a row twice.
 */
export async function writeBatch(
  store: Store,
  tables: readonly TableName[],
  events: readonly DecodedEvent[],
  watermarks: Watermarks,
  lastOffset: number,
  topic: string,
  partition: number,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const { kept, repeats } = dropRepeats(events, options.window);
  const result: WriteResult = { rows: {}, inserts: 0, repeats };
  const knownStarts = await store.runStarts(missingRunStarts(kept));
  const byTable = projectBatch(kept, { knownStarts, alreadyIn: (t) => watermarks.tables.get(t) ?? -1 });
  for (const table of tables) {
    const rows = byTable.get(table);
    if (!rows?.length) continue;
    for (const chunk of chunkAtEvents(rows)) {
      if (options.stillOwner && !options.stillOwner()) throw new LeaseLapsedError(topic, partition);
      await store.insert(table, chunk, { topic, partition });
      watermarks.tables.set(table, Number(chunk[chunk.length - 1]!._offset));
      result.inserts += 1;
    }
    result.rows[table] = rows.length;
  }
  if (lastOffset > watermarks.progress && (!options.progressDue || options.progressDue() || tables.some((t) => (watermarks.tables.get(t) ?? -1) < lastOffset))) {
    await store.recordProgress(topic, partition, lastOffset, tables);
    watermarks.progress = lastOffset;
    result.progress = true;
  }
  return result;
}
