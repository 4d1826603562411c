import type { Logger } from '../logging/index.ts';

export type Stopper = () => Promise<void>;

/**
 * Makes `stop` safe to call twice: the second call gets the first call's promise.
 */
export function once(stop: Stopper): Stopper {
  let pending: Promise<void> | undefined;
  return () => (pending ??= stop());
}

export interface ShutdownOptions {
  logger: Logger;
  /** Called in order on the first SIGTERM or SIGINT. */
  stop: Stopper;
  /** Exit anyway after this many ms; default 15 000. */
  graceMs?: number;
  signals?: NodeJS.Signals[];
  /** Injected for tests; default process.exit. */
  exit?: (code: number) => void;
}

/**
 * Installs SIGTERM/SIGINT handlers: the first signal runs `stop` and exits 0
 * (1 if stop failed); a second signal, or the grace period, exits at once.
 * Returns a function that removes the handlers.
 */
export function handleShutdown(options: ShutdownOptions): () => void {
  const { logger, graceMs = 15_000, signals = ['SIGTERM', 'SIGINT'], exit = (code) => process.exit(code) } = options;
  const stop = once(options.stop);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'shutdown.forced');
      exit(130);
      return;
    }
    signalled = true;
    logger.info({ signal }, 'shutdown.started');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown.timeout');
      exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        logger.info('shutdown.completed');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown.failed');
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
