// Progress and bounds for the cluster fault suite: every wait names what it waits for, reports
// while it waits, and gives up with that name; a hung call (a probe, a request) cannot stall the
// run, because each one is bounded too. The suite once started its cluster and then printed
// nothing for minutes (docs/testing.md): these make such a run say where it is.

const began = Date.now();

/** One progress line, with the seconds since the suite began. */
export function step(line: string): void {
  console.log(`[cluster +${((Date.now() - began) / 1000).toFixed(1)} s] ${line}`);
}

/** `work`, or a rejection naming `what` after `ms`. */
export async function within<T>(ms: number, what: string, work: Promise<T> | (() => Promise<T>)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([typeof work === 'function' ? work() : work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `probe` until it returns a truthy value; each probe is bounded (`probeMs`), the whole wait
 * too (`timeoutMs`), and every `reportMs` a line says what it still waits for and the last answer.
 */
export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { what: string; timeoutMs: number; intervalMs?: number; probeMs?: number; reportMs?: number },
): Promise<T> {
  const { what, timeoutMs, intervalMs = 250, probeMs = 10_000, reportMs = 15_000 } = options;
  const started = Date.now();
  let reported = started;
  let last: unknown;
  for (;;) {
    try {
      const value = await within(probeMs, `one probe of: ${what}`, async () => probe());
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    const lastText = last instanceof Error ? last.message : String(last);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${lastText})`);
    if (Date.now() - reported >= reportMs) {
      reported = Date.now();
      step(`still waiting for ${what} (${((Date.now() - started) / 1000).toFixed(0)} s, last: ${lastText.slice(0, 200)})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
