import { createHash } from 'node:crypto';

/** MLflow's default experiment: it exists without ever being created. */
export const DEFAULT_EXPERIMENT = { id: '0', name: 'Default' } as const;

/**
 * The id of the experiment named `name`: a decimal string (MLflow clients
 * expect numeric-looking ids) made of the first 52 bits of SHA-256(name).
 * Deriving the id from the name makes the experiment's Kafka key a function
 * of its name, so two clients creating one name concurrently meet in one
 * aggregate and the second is told it exists; runs started by name alone
 * (the `/v1` API) belong to the same experiment as MLflow clients see it.
 */
export function experimentIdOf(name: string): string {
  if (name === DEFAULT_EXPERIMENT.name) return DEFAULT_EXPERIMENT.id;
  const hex = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 13);
  // 52 bits: exact in a JavaScript number and in a float64 column; never 0 (the default's id).
  return String(Number.parseInt(hex, 16) || 1);
}
