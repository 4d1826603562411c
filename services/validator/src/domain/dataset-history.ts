import type { DatasetVersionIngested } from '@mlstream/kit';

/**
 * Every dataset version ingested, by Kafka position: a dataset's versions share
 * a key, hence a partition, so "the version before the one at offset o" is a
 * function of the log alone.
 */
export function createDatasetHistory() {
  const byDataset = new Map<string, Array<{ offset: number; event: DatasetVersionIngested }>>();
  return {
    add(event: DatasetVersionIngested, offset: number): void {
      const list = byDataset.get(event.datasetId) ?? [];
      if (list.some((e) => e.offset === offset)) return;
      list.push({ offset, event });
      list.sort((a, b) => a.offset - b.offset);
      byDataset.set(event.datasetId, list);
    },
    /** The version ingested last before `offset` (another version label than the one at `offset`), if any. */
    previous(datasetId: string, offset: number): DatasetVersionIngested | undefined {
      const list = byDataset.get(datasetId) ?? [];
      const at = list.find((e) => e.offset === offset)?.event.version;
      for (let i = list.length - 1; i >= 0; i--) {
        const e = list[i]!;
        if (e.offset < offset && e.event.version !== at) return e.event;
      }
      return undefined;
    },
  };
}
