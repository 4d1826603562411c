/**
 * Runs tasks of one key one after another and tasks of different keys side
 * by side: the exactly-once loop's guard for a partition's batches (they share
 * a producer and a position) under kafkajs' partitionsConsumedConcurrently.
 * A failed task does not block the next one of its key.
 */
export function oneAtATimePerKey<K>() {
  const tails = new Map<K, Promise<void>>();
  return {
    run<T>(key: K, task: () => Promise<T>): Promise<T> {
      const mine = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = mine.then(
        () => {},
        () => {},
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return mine;
    },
    /** Settles once every task started so far has settled. */
    idle(): Promise<void> {
      return Promise.all(tails.values()).then(() => {});
    },
  };
}
