import type { IHeaders } from 'kafkajs';

/** CloudEvents Kafka binding (binary mode) plus tracing and causation headers (a type, not an interface: it is a kafkajs IHeaders). */
export type EventHeaders = {
  ce_specversion: string;
  ce_id: string;
  ce_type: string;
  ce_source: string;
  ce_time: string;
  'content-type': string;
  traceparent?: string;
  correlation_id?: string;
  causation_id?: string;
};

export interface EventMeta {
  /** Producer identity, e.g. `mlstream/gateway`; default the serde's source. */
  source?: string;
  traceparent?: string;
  /** Groups every fact of one user action (e.g. the HTTP request id). */
  correlationId?: string;
  /** The eventId (or command id) that caused this one. */
  causationId?: string;
}

export const CONTENT_TYPE = 'application/avro';

/** The ISO-8601 text of the last second seen, up to and including the dot: records of one batch share it. */
let lastSecond = Number.NaN;
let lastSecondText = '';

/** `new Date(ms).toISOString()`, without building a Date for every record of the same second. */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const text = new Date(second * 1000).toISOString();
    lastSecond = second;
    lastSecondText = text.slice(0, -4);
  }
  const millis = ms - second * 1000;
  return `${lastSecondText}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

export function buildHeaders(fullName: string, eventId: string, occurredAt: number, source: string, meta: EventMeta): EventHeaders {
  const headers: EventHeaders = {
    ce_specversion: '1.0',
    ce_id: eventId,
    ce_type: fullName,
    ce_source: meta.source ?? source,
    ce_time: isoTime(occurredAt),
    'content-type': CONTENT_TYPE,
  };
  if (meta.traceparent) headers.traceparent = meta.traceparent;
  if (meta.correlationId) headers.correlation_id = meta.correlationId;
  if (meta.causationId) headers.causation_id = meta.causationId;
  return headers;
}

/** Kafka headers as strings (first value of a repeated header). */
export function readHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) out[key] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return out;
}
