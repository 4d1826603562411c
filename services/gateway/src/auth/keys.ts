import { createHash, timingSafeEqual } from 'node:crypto';

export const scopes = ['write:data', 'write:predictions', 'write:runs', 'write:registry', 'read', 'admin'] as const;
export type Scope = (typeof scopes)[number];

export interface ApiKey {
  /** Recorded as the actor of every command sent with this key. */
  name: string;
  /** SHA-256 of the secret token, 64 lowercase hex digits. */
  sha256: string;
  scopes: Scope[];
}

/** A principal: who sent the request and what it may do. */
export interface Principal {
  name: string;
  scopes: ReadonlySet<Scope>;
}

/** The token a development gateway accepts when no key is configured (logged loudly at start-up). */
export const DEV_TOKEN = 'mlstream-dev-key';

export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const devKey = (): ApiKey => ({ name: 'dev', sha256: sha256Hex(DEV_TOKEN), scopes: [...scopes] });

/**
 * Parses `name:sha256:scope,scope;name:sha256:scope`. Throws a TypeError that
 * says what is wrong with which entry; config loading turns it into CONFIG_INVALID.
 */
export function parseApiKeys(spec: string): ApiKey[] {
  const entries = spec.split(';').map((e) => e.trim()).filter((e) => e.length > 0);
  if (!entries.length) throw new TypeError('expected at least one key as name:sha256:scope[,scope...]');
  const keys = entries.map((entry, index): ApiKey => {
    const first = entry.indexOf(':');
    const second = entry.indexOf(':', first + 1);
    if (first <= 0 || second < 0) throw new TypeError(`key #${index + 1}: expected name:sha256:scope[,scope...]`);
    const name = entry.slice(0, first);
    const sha256 = entry.slice(first + 1, second).toLowerCase();
    const list = entry.slice(second + 1).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(name)) throw new TypeError(`key #${index + 1}: name "${name}" must be 1-100 letters, digits, . _ @ -`);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError(`key "${name}": expected the SHA-256 of the token as 64 hex digits (echo -n "$TOKEN" | sha256sum)`);
    if (!list.length) throw new TypeError(`key "${name}": expected at least one scope of ${scopes.join(', ')}`);
    for (const s of list) {
      if (!(scopes as readonly string[]).includes(s)) throw new TypeError(`key "${name}": unknown scope "${s}" (expected ${scopes.join(', ')})`);
    }
    return { name, sha256, scopes: list as Scope[] };
  });
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const k of keys) {
    if (names.has(k.name)) throw new TypeError(`key name "${k.name}" appears twice`);
    if (hashes.has(k.sha256)) throw new TypeError(`key "${k.name}" has the same hash as another key`);
    names.add(k.name);
    hashes.add(k.sha256);
  }
  return keys;
}

export interface KeyRing {
  /** The principal a bearer token belongs to, or undefined. Constant-time comparison of hashes. */
  verify(token: string): Principal | undefined;
}

export function createKeyRing(keys: ApiKey[]): KeyRing {
  const entries = keys.map((k) => ({ hash: Buffer.from(k.sha256, 'hex'), principal: { name: k.name, scopes: new Set(k.scopes) } }));
  return {
    verify(token) {
      const hash = createHash('sha256').update(token, 'utf8').digest();
      let found: Principal | undefined;
      // Compare against every key so timing does not reveal which one matched.
      for (const e of entries) if (timingSafeEqual(hash, e.hash)) found = e.principal;
      return found;
    },
  };
}

/** `admin` implies every scope. */
export const hasScope = (principal: Principal, scope: Scope): boolean => principal.scopes.has(scope) || principal.scopes.has('admin');

/** The token of an `Authorization: Bearer <token>` header, or undefined when absent or another scheme. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i.exec(value);
  return match?.[1];
}

/**
 * The token of `Authorization: Basic base64(<user>:<key>)`: the key is the
 * password, the user name is ignored (the key names the principal). This is
 * how MLflow clients send `MLFLOW_TRACKING_URI=http://<user>:<key>@host`
 * (python-requests turns URL userinfo into Basic auth).
 */
export function basicToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value === undefined ? null : /^Basic[ ]+([A-Za-z0-9+/]{1,1024}={0,2})\s*$/i.exec(value);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon < 0 ? '' : decoded.slice(colon + 1);
  return /^[\x21-\x7e]{1,512}$/.test(token) ? token : undefined;
}

/** The API key a request carries, as a Bearer token or as the password of Basic auth. */
export const credentialToken = (header: string | string[] | undefined): string | undefined => bearerToken(header) ?? basicToken(header);
