import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface LoggerFactoryOptions {
  /** Service name, carried by every line as `service`. */
  service: string;
  /** pino level; default `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** A JSON logger whose lines carry `service`; use `.child({ topic, partition })` for edges. */
export function createLogger(options: LoggerFactoryOptions): Logger {
  if (!options.service) throw new TypeError('createLogger: `service` is required, e.g. { service: "gateway" }');
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
