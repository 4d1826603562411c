import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (docs/webhooks.md). Pure: no clock, no I/O; the caller
 * passes the time. A delivery carries
 *
 *   Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *
 * Signing the timestamp with the body lets a receiver refuse replays: a
 * captured request re-sent later fails the tolerance check, and changing `t`
 * breaks the HMAC. Several `v1=` entries may appear (secret rotation); one
 * match is enough.
 */
export const SIGNATURE_HEADER = 'Webhook-Signature';
/** Default replay window: a signature older or newer than this (seconds) is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** `v1=<hex>`: HMAC-SHA256 of `<timestamp>.<body>` keyed by the secret. */
export function sign(secret: string, timestamp: number, body: string | Uint8Array): string {
  if (!secret) throw new TypeError('sign: `secret` must not be empty');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError(`sign: \`timestamp\` must be whole unix seconds, got ${timestamp}`);
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `${SCHEME}=${mac}`;
}

/** The whole header value: `t=<timestamp>,v1=<hex>`. */
export function signatureHeader(secret: string, timestamp: number, body: string | Uint8Array): string {
  return `t=${timestamp},${sign(secret, timestamp, body)}`;
}

export interface ParsedSignature {
  timestamp: number;
  /** The hex digests of every `v1=` entry. */
  signatures: string[];
}

/** Parses `t=<unix>,v1=<hex>[,v1=<hex>...]`; unknown schemes are ignored; undefined when malformed. */
export function parseSignatureHeader(header: string | undefined | null): ParsedSignature | undefined {
  if (!header) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,15}$/.test(value) || timestamp !== undefined) return undefined;
      timestamp = Number(value);
    } else if (key === SCHEME) {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(value);
    }
  }
  if (timestamp === undefined || !signatures.length) return undefined;
  return { timestamp, signatures };
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'outside_tolerance' | 'mismatch' };

export interface VerifyOptions {
  /** The receiver's current time, unix seconds. */
  now: number;
  /** Accepted distance between `t` and `now`, seconds; default 300. */
  toleranceSeconds?: number;
}

/**
 * Checks a `Webhook-Signature` header against the raw body (the exact bytes
 * received, before any JSON parsing) with constant-time comparison.
 */
export function verify(secret: string, header: string | undefined | null, body: string | Uint8Array, options: VerifyOptions): VerifyResult {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(options.now - parsed.timestamp) > tolerance) return { ok: false, reason: 'outside_tolerance' };
  const expected = Buffer.from(sign(secret, parsed.timestamp, body).slice(SCHEME.length + 1), 'hex');
  const match = parsed.signatures.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
  return match ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'mismatch' };
}
