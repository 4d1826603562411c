import { randomUUID } from 'node:crypto';
import { MlstreamApiError, type Problem } from './errors.ts';

export interface HttpOptions {
  /** Gateway base URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** API key (Bearer token). */
  apiKey: string;
  /** Per-attempt timeout in ms; default 30 000. */
  timeoutMs?: number;
  /** Attempts for a retriable failure (503, 504, network error); default 5. */
  attempts?: number;
  /** Longest wait between attempts in ms (Retry-After is honoured up to this); default 10 000. */
  maxBackoffMs?: number;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
}

export interface Http {
  /**
   * Sends a request; writes always carry an Idempotency-Key (the caller's or
   * a new one) that stays the same across retries, so a retry never applies
   * anything twice.
   */
  request<T>(method: string, path: string, options?: { body?: unknown; idempotencyKey?: string; query?: Record<string, string | undefined> }): Promise<T>;
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The consistency token this client sends with reads: the latest write position per topic-partition the gateway answered (X-Mlstream-Consistency). */
  consistency(): string;
}

const CONSISTENCY = 'x-mlstream-consistency';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createHttp(options: HttpOptions): Http {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) throw new TypeError(`createHttp: baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`);
  if (!options.apiKey) throw new TypeError('createHttp: apiKey is required (the gateway answers 401 without one)');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const attempts = options.attempts ?? 5;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  if (!Number.isInteger(attempts) || attempts < 1) throw new TypeError('createHttp: attempts must be a positive integer');
  // Read-your-writes across gateway instances: remember what every write produced, send it with every read.
  const written = new Map<string, number>();
  const remember = (header: string | null) => {
    for (const part of (header ?? '').split(',')) {
      const m = /^(.+):(\d+):(\d+)$/.exec(part.trim());
      if (!m) continue;
      const tp = `${m[1]}:${m[2]}`;
      written.set(tp, Math.max(written.get(tp) ?? -1, Number(m[3])));
    }
  };
  const consistency = () => [...written].map(([tp, offset]) => `${tp}:${offset}`).join(',');

  return {
    baseUrl,
    apiKey: options.apiKey,
    consistency,
    async request<T>(method: string, path: string, o: { body?: unknown; idempotencyKey?: string; query?: Record<string, string | undefined> } = {}) {
      const write = method !== 'GET';
      const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' };
      if (write) headers['idempotency-key'] = o.idempotencyKey ?? randomUUID();
      else if (written.size) headers[CONSISTENCY] = consistency();
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const query = new URLSearchParams(Object.entries(o.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined)).toString();
      const url = `${baseUrl}${path}${query ? `?${query}` : ''}`;
      const body = o.body === undefined ? undefined : JSON.stringify(o.body);
      let last: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let wait = Math.min(maxBackoffMs, 200 * 2 ** (attempt - 1));
        try {
          const res = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
          const text = await res.text();
          const parsed: unknown = text ? JSON.parse(text) : undefined;
          if (res.ok) {
            remember(res.headers.get(CONSISTENCY));
            return parsed as T;
          }
          const problem = (parsed && typeof parsed === 'object' && 'code' in parsed ? parsed : { type: 'about:blank', title: res.statusText, status: res.status, detail: text.slice(0, 500), code: 'HTTP_ERROR', retriable: res.status >= 500 }) as Problem;
          last = new MlstreamApiError(problem);
          if (!problem.retriable) throw last;
          const after = Number(res.headers.get('retry-after'));
          if (Number.isFinite(after) && after > 0) wait = Math.min(maxBackoffMs, after * 1000);
        } catch (error) {
          if (error instanceof MlstreamApiError && !error.retriable) throw error;
          last = error;
        }
        if (attempt < attempts) await sleep(wait);
      }
      throw last instanceof Error ? last : new Error(String(last));
    },
  };
}
