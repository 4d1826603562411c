import { COMPATIBILITY as Compatibility, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Type } from 'avsc';
import { MlstreamError } from '../errors/index.ts';

export interface SchemaRegistryOptions {
  /** Confluent-compatible base URL, e.g. http://127.0.0.1:18081/apis/ccompat/v7 (Apicurio). */
  url: string;
  /** Per-request timeout in ms; default 10 000. */
  timeoutMs?: number;
}

export const COMPATIBILITY = 'BACKWARD_TRANSITIVE' as const;

export interface SchemaRegistryClient {
  /** Registers `schema` under `subject` with BACKWARD_TRANSITIVE compatibility; returns its global id. */
  register(subject: string, schema: object): Promise<number>;
  /** The avsc type of a registered schema id (cached after the first call). */
  typeById(id: number): Promise<Type>;
  /** Versions registered under a subject, oldest first ([] when unknown). */
  versions(subject: string): Promise<number[]>;
  /** The subject's compatibility level as the registry reports it. */
  compatibility(subject: string): Promise<string | undefined>;
  /** Resolves when the registry answers its subjects listing. */
  ping(): Promise<void>;
  readonly url: string;
}

const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;

/**
 * Thin wrapper over @kafkajs/confluent-schema-registry that pins our
 * compatibility policy and translates its errors into coded ones.
 * Apicurio answers the Confluent API at /apis/ccompat/v7; see docs/stack.md.
 */
export function createSchemaRegistryClient(options: SchemaRegistryOptions): SchemaRegistryClient {
  const url = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const registry = new SchemaRegistry({ host: url, clientId: 'mlstream' });
  const types = new Map<number, Promise<Type>>();

  const get = async (path: string): Promise<Response> => {
    try {
      return await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new MlstreamError('REGISTRY_UNAVAILABLE', `schema registry at ${url} is unreachable`, { cause });
    }
  };

  return {
    url,
    async register(subject, schema) {
      const attempt = () => registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject, compatibility: Compatibility.BACKWARD_TRANSITIVE });
      try {
        try {
          return (await attempt()).id;
        } catch (first) {
          // Two processes registering a new subject at once: the loser's config PUT
          // answers 409 "rule ... already exists". The subject is then set up; retry once.
          if (statusOf(first) === 409 && /already exists/i.test(String((first as Error).message))) return (await attempt()).id;
          // ... or the loser reads the subject's compatibility between the winner's create and
          // its config PUT ("BACKWARD_TRANSITIVE != NONE"): two instances of a service starting together.
          // Wait (at most ~5 s) for the winner's config PUT.
          let last: unknown = first;
          for (let tries = 0; (last as Error | undefined)?.name === 'ConfluentSchemaRegistryCompatibilityError' && /!= NONE/.test(String((last as Error).message)) && tries < 20; tries++) {
            await new Promise((r) => setTimeout(r, 250));
            try {
              return (await attempt()).id;
            } catch (again) {
              last = again;
            }
          }
          throw last;
        }
      } catch (cause) {
        const status = statusOf(cause);
        const message = cause instanceof Error ? cause.message : String(cause);
        if (status === 409 || /incompatib/i.test(message)) {
          throw new MlstreamError('SCHEMA_INCOMPATIBLE', `${subject}: ${message}`, { cause, details: { subject } });
        }
        if (status === undefined || status >= 500) {
          throw new MlstreamError('REGISTRY_UNAVAILABLE', `registering ${subject} failed: ${message}`, { cause });
        }
        throw cause;
      }
    },
    typeById(id) {
      let pending = types.get(id);
      if (!pending) {
        pending = (registry.getSchema(id) as Promise<unknown> as Promise<Type>).catch((cause: unknown) => {
          types.delete(id);
          if (statusOf(cause) === 404) {
            throw new MlstreamError('UNKNOWN_SCHEMA_ID', `schema id ${id} is not registered`, { cause, details: { schemaId: id } });
          }
          throw new MlstreamError('REGISTRY_UNAVAILABLE', `looking up schema id ${id} failed`, { cause });
        });
        types.set(id, pending);
      }
      return pending;
    },
    async versions(subject) {
      const res = await get(`/subjects/${encodeURIComponent(subject)}/versions`);
      if (res.status === 404) return [];
      if (!res.ok) throw new MlstreamError('REGISTRY_UNAVAILABLE', `versions of ${subject}: HTTP ${res.status}`);
      return (await res.json()) as number[];
    },
    async compatibility(subject) {
      const res = await get(`/config/${encodeURIComponent(subject)}`);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new MlstreamError('REGISTRY_UNAVAILABLE', `config of ${subject}: HTTP ${res.status}`);
      // Confluent answers `compatibilityLevel`; some Apicurio versions answer `compatibility`.
      const body = (await res.json()) as { compatibilityLevel?: string; compatibility?: string };
      return body.compatibilityLevel ?? body.compatibility;
    },
    async ping() {
      const res = await get('/subjects');
      if (!res.ok) throw new MlstreamError('REGISTRY_UNAVAILABLE', `schema registry at ${url} answered HTTP ${res.status}`);
    },
  };
}
