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
  /**
   * Insert the tables of the batch at the same time instead of one after the
   * other (each table's rows stay one insert or a chain of them in offset
   * order). Every table has its own watermark, so their order never mattered
   * for a resume; the progress hint still waits for all of them. Default false.
   */
  concurrentTables?: boolean;
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
  const writeTable = async (table: TableName, rows: Row[]) => {
    for (const chunk of chunkAtEvents(rows)) {
      if (options.stillOwner && !options.stillOwner()) throw new LeaseLapsedError(topic, partition);
      await store.insert(table, chunk, { topic, partition });
      watermarks.tables.set(table, Number(chunk[chunk.length - 1]!._offset));
      result.inserts += 1;
    }
    result.rows[table] = rows.length;
  };
  const due = tables.flatMap((table) => {
    const rows = byTable.get(table);
    return rows?.length ? [[table, rows] as const] : [];
  });
  if (options.concurrentTables) {
    // Settle every insert before failing: none may still be running when the caller retries or reads watermarks.
    const failure = (await Promise.allSettled(due.map(([table, rows]) => writeTable(table, rows)))).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  } else {
    for (const [table, rows] of due) await writeTable(table, rows);
  }
  if (lastOffset > watermarks.progress && (!options.progressDue || options.progressDue() || tables.some((t) => (watermarks.tables.get(t) ?? -1) < lastOffset))) {
    await store.recordProgress(topic, partition, lastOffset, tables);
    watermarks.progress = lastOffset;
    result.progress = true;
  }
  return result;
}

/** One topic partition's part of a shared write: its events up to `lastOffset` and its watermarks (updated as inserts succeed). */
export interface PartitionBatch {
  topic: string;
  partition: number;
  tables: readonly TableName[];
  events: readonly DecodedEvent[];
  watermarks: Watermarks;
  lastOffset: number;
}

/**
 * writeBatch for several topic partitions at once: per table ONE insert of
 * every partition's rows above its watermark (rows carry their own
 * `_topic`/`_partition`/`_offset`), then one progress write for the
 * partitions that need a hint. Each partition's rows in an insert are still
 * the contiguous run just above its watermark, and the insert is atomic, so
 * every table stays a prefix of every partition. The inserts name no
 * partition, so `settle` cannot fence them: for a writer that owns its
 * database alone (the replay), never for the group-managed materializer.
 */
export async function writeBatchesTogether(store: Store, batches: readonly PartitionBatch[], options: Pick<WriteOptions, 'progressDue'> = {}): Promise<WriteResult> {
  const result: WriteResult = { rows: {}, inserts: 0, repeats: 0 };
  const knownStarts = await store.runStarts([...new Set(batches.flatMap((b) => missingRunStarts(b.events)))]);
  // table → each partition's rows, in the batches' order
  const byTable = new Map<TableName, Array<{ batch: PartitionBatch; rows: Row[] }>>();
  for (const batch of batches) {
    const projected = projectBatch(batch.events, { knownStarts, alreadyIn: (t) => batch.watermarks.tables.get(t) ?? -1 });
    for (const table of batch.tables) {
      const rows = projected.get(table);
      if (rows?.length) byTable.set(table, [...(byTable.get(table) ?? []), { batch, rows }]);
    }
  }
  const writeTable = async (table: TableName, parts: Array<{ batch: PartitionBatch; rows: Row[] }>) => {
    // Whole partitions' chunks packed into inserts below MAX_ROWS_PER_INSERT; each insert's partitions get their watermark after it.
    let rows: Row[] = [];
    let marks: Array<[PartitionBatch, number]> = [];
    const insert = async () => {
      await store.insert(table, rows);
      for (const [batch, offset] of marks) batch.watermarks.tables.set(table, offset);
      result.inserts += 1;
      [rows, marks] = [[], []];
    };
    for (const { batch, rows: partRows } of parts) {
      for (const chunk of chunkAtEvents(partRows)) {
        if (rows.length && rows.length + chunk.length > MAX_ROWS_PER_INSERT) await insert();
        for (const row of chunk) rows.push(row);
        marks.push([batch, Number(chunk[chunk.length - 1]!._offset)]);
      }
    }
    if (rows.length) await insert();
    result.rows[table] = parts.reduce((n, p) => n + p.rows.length, 0);
  };
  // Settle every insert before failing: none may still be running when the caller reads watermarks again.
  const failure = (await Promise.allSettled([...byTable].map(([table, parts]) => writeTable(table, parts)))).find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const hinted = batches.filter((b) => b.lastOffset > b.watermarks.progress && (!options.progressDue || options.progressDue() || b.tables.some((t) => (b.watermarks.tables.get(t) ?? -1) < b.lastOffset)));
  if (hinted.length) {
    await store.recordProgressMany(hinted.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.lastOffset, tables: b.tables })));
    for (const b of hinted) b.watermarks.progress = b.lastOffset;
    result.progress = true;
  }
  return result;
}
