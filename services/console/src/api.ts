// The console's one way to call the gateway: the API key (typed once, kept in
// sessionStorage for the browser session) as a Bearer token, JSON in and out,
// and every failure (problem+json, network, unparseable answer) turned into
// words a person can act on.

export const KEY_STORAGE = 'mlstream.apiKey';

/** The fields of an RFC 9457 problem the console reads. */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  code?: string;
  retriable?: boolean;
  errors?: Array<{ path: string; message: string }>;
}

/** A failed API call, with the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly words: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly path: string,
  ) {
    super(words);
    this.name = 'ApiError';
  }
  /** The key is missing, wrong or lacks the read scope: the shell asks for one. */
  get needsKey(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** The sentence for an HTTP failure of `path`, from its problem body when there is one. */
export function problemWords(status: number, problem: Problem | undefined, path: string): string {
  const detail = problem?.detail ?? problem?.title;
  const fields = problem?.errors?.length ? ` (${problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})` : '';
  if (status === 401) return `The gateway did not accept the API key${detail ? `: ${detail}` : ''}. Enter a key with the read scope.`;
  if (status === 403) return `The API key may not read this${detail ? `: ${detail}` : ''}.`;
  if (status === 404) return detail ? `Not found: ${detail}.` : `Nothing at ${path}.`;
  if (status === 503 || status === 504) return `The gateway is not ready${detail ? ` (${detail})` : ''}; retry in a few seconds.`;
  if (detail) return `${status >= 500 ? 'The gateway failed' : 'The request was refused'}: ${detail}${fields}${problem?.code ? ` [${problem.code}]` : ''}`;
  return `The gateway answered ${path} with HTTP ${status}.`;
}

/** The sentence for a request that got no HTTP answer at all. */
export function networkWords(path: string, cause: unknown): string {
  const why = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
  return `Could not reach the gateway for ${path}${why}; is \`npm start\` running?`;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Api {
  /** GET a JSON read; `headers` e.g. X-Mlstream-Consistency (read after an event seen on a stream). */
  get<T>(path: string, signal?: AbortSignal, headers?: Record<string, string>): Promise<T>;
  key(): string | undefined;
  setKey(key: string | undefined): void;
}

/** An API client on `base` (the gateway's origin; '' in the browser). */
export function createApi(options: { base?: string; fetch?: Fetch; store?: KeyStore } = {}): Api {
  const base = options.base ?? '';
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const store = options.store;
  let memoryKey: string | undefined;
  const key = () => (store ? (store.getItem(KEY_STORAGE) ?? undefined) : memoryKey);
  return {
    key,
    setKey(value) {
      if (store) {
        if (value) store.setItem(KEY_STORAGE, value);
        else store.removeItem(KEY_STORAGE);
      } else memoryKey = value;
    },
    async get<T>(path: string, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<T> {
      const headers: Record<string, string> = { ...extra, accept: 'application/json' };
      const k = key();
      if (k) headers.authorization = `Bearer ${k}`;
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, { headers, signal });
      } catch (cause) {
        if ((cause as { name?: string })?.name === 'AbortError') throw cause;
        throw new ApiError(networkWords(path, cause), 0, undefined, path);
      }
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      if (!res.ok) {
        const problem = body && typeof body === 'object' ? (body as Problem) : undefined;
        throw new ApiError(problemWords(res.status, problem, path), res.status, problem?.code, path);
      }
      if (body === undefined) throw new ApiError(`The gateway answered ${path} with something that is not JSON.`, res.status, undefined, path);
      return body as T;
    },
  };
}
