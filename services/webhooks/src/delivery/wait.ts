/**
 * Waits `ms`, heartbeating the consumer group every second so a long retry
 * schedule does not cost the group membership; rejects as soon as `signal`
 * aborts (the service is stopping) or a heartbeat fails (the group is
 * rebalancing: the transaction aborts and the new owner takes over).
 */
export async function waitWithHeartbeat(ms: number, signal: AbortSignal, heartbeat?: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    await new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(left, 1_000));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await heartbeat?.();
  }
}
