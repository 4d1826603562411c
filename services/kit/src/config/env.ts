import { z } from 'zod';
import { MlstreamError } from '../errors/index.ts';

export type Env = Record<string, string | undefined>;

/**
 * Parses `env` with a zod object schema whose keys are environment variable
 * names. A failure names every bad variable and what is wrong with it, e.g.
 * `MLSTREAM_KAFKA_BROKERS: expected host:port[,host:port...]`.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const shown = value === undefined ? 'unset' : JSON.stringify(value);
    return `${variable} (${shown}): ${issue.message}`;
  });
  throw new MlstreamError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, {
    details: { problems },
  });
}

/** A TCP port given as an environment string. */
export const portVar = (fallback: number) =>
  z.coerce
    .number({ message: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .default(fallback);

/** A comma-separated list of `host:port`. */
export const brokersVar = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => value.split(',').map((b) => b.trim()).filter((b) => b.length > 0))
    .refine((list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), {
      message: 'expected host:port[,host:port...]',
    });

export const urlVar = (fallback: string) => z.url({ message: 'expected an http(s) URL' }).default(fallback);

export const boolVar = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const logLevelVar = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'expected one of fatal, error, warn, info, debug, trace, silent',
  }).default('info');
