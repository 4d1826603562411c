import { describe, expect, it } from 'vitest';
import { DEV_TOKEN, basicToken, bearerToken, createKeyRing, credentialToken, devKey, hasScope, parseApiKeys, sha256Hex } from './keys.ts';

const hash = sha256Hex('s3cret');

describe('API keys', () => {
  it('parses name:sha256:scopes entries', () => {
    expect(parseApiKeys(`ci:${hash}:write:runs,write:registry; ro:${sha256Hex('x')}:read`)).toEqual([
      { name: 'ci', sha256: hash, scopes: ['write:runs', 'write:registry'] },
      { name: 'ro', sha256: sha256Hex('x'), scopes: ['read'] },
    ]);
  });

  it('says what is wrong with a bad entry', () => {
    expect(() => parseApiKeys('ci:abc:read')).toThrow('key "ci": expected the SHA-256 of the token as 64 hex digits');
    expect(() => parseApiKeys(`ci:${hash}:write:everything`)).toThrow('unknown scope "write:everything"');
    expect(() => parseApiKeys(`ci:${hash}:`)).toThrow('expected at least one scope');
    expect(() => parseApiKeys(`ci:${hash}:read;ci:${sha256Hex('y')}:read`)).toThrow('key name "ci" appears twice');
    expect(() => parseApiKeys(`a:${hash}:read;b:${hash}:read`)).toThrow('same hash as another key');
    expect(() => parseApiKeys('  ; ')).toThrow('at least one key');
  });

  it('verifies a token by its hash and returns the named principal', () => {
    const ring = createKeyRing(parseApiKeys(`ci:${hash}:write:runs`));
    expect(ring.verify('s3cret')?.name).toBe('ci');
    expect(ring.verify('s3cret ')).toBeUndefined();
    expect(ring.verify('')).toBeUndefined();
  });

  it('admin implies every scope; other scopes imply only themselves', () => {
    const ring = createKeyRing([...parseApiKeys(`ci:${hash}:write:runs`), { ...devKey(), scopes: ['admin'] }]);
    const ci = ring.verify('s3cret')!;
    expect(hasScope(ci, 'write:runs')).toBe(true);
    expect(hasScope(ci, 'write:registry')).toBe(false);
    expect(hasScope(ci, 'read')).toBe(false);
    expect(hasScope(ring.verify(DEV_TOKEN)!, 'write:predictions')).toBe(true);
  });

  it('reads only the Bearer scheme', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('Basic auth (MLflow clients: MLFLOW_TRACKING_URI=http://user:key@host)', () => {
  const basic = (userinfo: string) => `Basic ${Buffer.from(userinfo, 'utf8').toString('base64')}`;

  it('takes the password as the key, whatever the user name', () => {
    expect(basicToken(basic('mlstream:s3cret'))).toBe('s3cret');
    expect(basicToken(basic('anyone:a:b'))).toBe('a:b');
    expect(credentialToken(basic(`x:${DEV_TOKEN}`))).toBe(DEV_TOKEN);
    expect(createKeyRing(parseApiKeys(`ci:${hash}:read`)).verify(credentialToken(basic('u:s3cret'))!)?.name).toBe('ci');
  });

  it('accepts Bearer as before and refuses a Basic header without a password', () => {
    expect(credentialToken('Bearer abc')).toBe('abc');
    expect(basicToken(basic('only-user'))).toBeUndefined();
    expect(basicToken(basic('user:'))).toBeUndefined();
    expect(basicToken('Basic !!!')).toBeUndefined();
    expect(credentialToken(undefined)).toBeUndefined();
  });
});
