import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, sign, signatureHeader, verify } from './signature.ts';

const secret = 'whsec_test';
const body = '{"specversion":"1.0","id":"e1"}';
const t = 1_780_000_000;

describe('sign', () => {
  it('is HMAC-SHA256 over "<t>.<body>" as lowercase hex after "v1="', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(sign(secret, t, body)).toBe(`v1=${expected}`);
  });

  it('signs bytes and the equal string alike', () => {
    expect(sign(secret, t, Buffer.from(body))).toBe(sign(secret, t, body));
  });

  it('refuses an empty secret and a fractional timestamp', () => {
    expect(() => sign('', t, body)).toThrow(/secret/);
    expect(() => sign(secret, 1.5, body)).toThrow(/unix seconds/);
  });
});

describe('verify', () => {
  const header = signatureHeader(secret, t, body);

  it('accepts its own signature within the tolerance', () => {
    expect(verify(secret, header, body, { now: t + 299 })).toEqual({ ok: true, timestamp: t });
  });

  it('refuses a replay outside the tolerance, either side', () => {
    expect(verify(secret, header, body, { now: t + 301 })).toEqual({ ok: false, reason: 'outside_tolerance' });
    expect(verify(secret, header, body, { now: t - 301 })).toEqual({ ok: false, reason: 'outside_tolerance' });
    expect(verify(secret, header, body, { now: t + 20, toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'outside_tolerance' });
  });

  it('refuses a changed body, a changed timestamp and a wrong secret', () => {
    expect(verify(secret, header, body + ' ', { now: t })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, { now: t })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify('other', header, body, { now: t })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts when any of several v1 entries matches (secret rotation)', () => {
    const rotated = `t=${t},${sign('old', t, body)},${sign(secret, t, body)}`;
    expect(verify(secret, rotated, body, { now: t }).ok).toBe(true);
  });

  it('calls a missing or malformed header malformed', () => {
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=x,${sign(secret, t, body)}`, `t=${t},v1=zz`, `t=${t},t=${t},${sign(secret, t, body)}`]) {
      expect(verify(secret, bad, body, { now: t })).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('parseSignatureHeader', () => {
  it('ignores unknown schemes and spaces', () => {
    const v1 = sign(secret, t, body).slice(3);
    expect(parseSignatureHeader(` t=${t}, v0=dead, v1=${v1}`)).toEqual({ timestamp: t, signatures: [v1] });
  });
});
