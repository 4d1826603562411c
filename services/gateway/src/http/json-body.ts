import { MlstreamError } from '@mlstream/kit';
import { renderPath } from '../api/validation.ts';

/**
 * Where a parsed JSON value holds a key that could rewrite a prototype when
 * copied (`__proto__`, or `constructor` holding `prototype`), or undefined.
 * JSON.parse itself makes such keys own properties, harmless; an object
 * spread or a zod record built from them is not, so they are refused.
 */
export function forbiddenKeyPath(value: unknown): Array<string | number> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  // The path is built on the way back, only for a body that has such a key: the common, clean body allocates nothing.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i]);
      if (found) return [i, ...found];
    }
    return undefined;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return [key];
    if (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype')) return [key, 'prototype'];
    const found = forbiddenKeyPath(item);
    if (found) return [key, ...found];
  }
  return undefined;
}

/**
 * The gateway's application/json parser: fastify's default answers both a
 * syntax error and a `__proto__` key with "Body is not valid JSON"; this one
 * says which, and where.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new MlstreamError('INVALID_REQUEST', 'the body is empty; send a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (cause) {
    throw new MlstreamError('INVALID_REQUEST', `Body is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const at = forbiddenKeyPath(value);
  if (at) {
    const path = renderPath(at);
    const message = `the key "${String(at.at(-1) === 'prototype' ? 'constructor.prototype' : '__proto__')}" is not allowed anywhere in a body (it could rewrite an object's prototype); rename it`;
    throw new MlstreamError('INVALID_REQUEST', `${path}: ${message}`, { details: { errors: [{ path, message }] } });
  }
  return value;
}
