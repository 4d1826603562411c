export interface BatcherOptions<T> {
  /** Sends one batch; should retry what it can and reject when it gives up. */
  send: (items: T[]) => Promise<void>;
  /** Items a batch holds at most; default 500. */
  maxBatch?: number;
  /** How long the first queued item waits for company, in ms; default 200. */
  lingerMs?: number;
  /** Items queued at most; `add` waits for room beyond (backpressure); default 10 000. */
  maxQueued?: number;
  /** Batches sent at once; default 1 (keeps order). */
  concurrency?: number;
  /** Called with a batch that could not be sent (after the sender's own retries). */
  onError?: (error: unknown, items: T[]) => void;
}

export interface Batcher<T> {
  /** Queues an item; resolves once it is queued (waits while the queue is full). */
  add(item: T): Promise<void>;
  /** Sends everything queued so far; rejects if a batch failed since the last flush. */
  flush(): Promise<void>;
  /** Flushes, then refuses new items. Safe to call twice. */
  close(): Promise<void>;
  /** Items queued or in flight. */
  readonly pending: number;
}

/**
 * A background sender: flushes when a batch is full or `lingerMs` after the
 * first item, keeps at most `maxQueued` items (callers wait beyond that,
 * which is the backpressure), and flushes on close.
 */
export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const maxBatch = options.maxBatch ?? 500;
  const lingerMs = options.lingerMs ?? 200;
  const maxQueued = options.maxQueued ?? 10_000;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new TypeError('createBatcher: maxBatch must be a positive integer');
  if (!Number.isInteger(maxQueued) || maxQueued < maxBatch) throw new TypeError('createBatcher: maxQueued must be an integer of at least maxBatch');
  if (!(lingerMs >= 0)) throw new TypeError('createBatcher: lingerMs must be zero or more');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError('createBatcher: concurrency must be a positive integer');

  let queue: T[] = [];
  let inFlight = 0;
  let inFlightItems = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed: Promise<void> | undefined;
  const failures: unknown[] = [];
  const roomWaiters: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];

  const wake = () => {
    while (roomWaiters.length && queue.length + inFlightItems < maxQueued) roomWaiters.shift()!();
    if (!queue.length && inFlight === 0) while (idleWaiters.length) idleWaiters.shift()!();
  };

  const pump = () => {
    while (inFlight < concurrency && queue.length > 0) {
      clearTimeout(timer);
      timer = undefined;
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight += 1;
      inFlightItems += batch.length;
      options
        .send(batch)
        .catch((error: unknown) => {
          failures.push(error);
          try {
            options.onError?.(error, batch);
          } catch {
            // a failing listener never breaks the sender
          }
        })
        .finally(() => {
          inFlight -= 1;
          inFlightItems -= batch.length;
          if (queue.length >= maxBatch) pump();
          else if (queue.length) schedule();
          wake();
        });
    }
  };

  const schedule = () => {
    if (timer || !queue.length) return;
    timer = setTimeout(() => {
      timer = undefined;
      pump();
    }, lingerMs);
  };

  const flushNow = async () => {
    pump();
    if (queue.length || inFlight) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    if (queue.length) return flushNow();
    if (failures.length) {
      const errors = failures.splice(0);
      throw errors.length === 1 ? errors[0] : new AggregateError(errors, `${errors.length} batches could not be sent`);
    }
  };

  return {
    get pending() {
      return queue.length + inFlightItems;
    },
    async add(item) {
      if (closed) throw new Error('the batcher is closed');
      while (queue.length + inFlightItems >= maxQueued) await new Promise<void>((resolve) => roomWaiters.push(resolve));
      queue.push(item);
      if (queue.length >= maxBatch) pump();
      else schedule();
    },
    flush: flushNow,
    close() {
      closed ??= flushNow().finally(() => clearTimeout(timer));
      return closed;
    },
  };
}
