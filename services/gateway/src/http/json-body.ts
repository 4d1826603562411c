import { MlstreamError } from '@mlstream/kit';
import { renderPath } from '../api/validation.ts';

/** Whether a parsed JSON value holds a forbidden key anywhere (no paths built: the common case is a clean body). */
function hasForbiddenKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasForbiddenKey(value[i])) return true;
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return true;
    if (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype')) return true;
    if (hasForbiddenKey(item)) return true;
  }
  return false;
}

/**
 * Where a parsed JSON value holds a key that could rewrite a prototype when
 * copied (`__proto__`, or `constructor` holding `prototype`), or undefined.
 * JSON.parse itself makes such keys own properties, harmless; an object
 * spread or a zod record built from them is not, so they are refused.
 */
export function forbiddenKeyPath(value: unknown, path: Array<string | number> = []): Array<string | number> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = forbiddenKeyPath(item, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return [...path, key];
    if (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype')) return [...path, key, 'prototype'];
    const found = forbiddenKeyPath(item, [...path, key]);
    if (found) return found;
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
  const at = hasForbiddenKey(value) ? forbiddenKeyPath(value) : undefined;
  if (at) {
    const path = renderPath(at);
    const message = `the key "${String(at.at(-1) === 'prototype' ? 'constructor.prototype' : '__proto__')}" is not allowed anywhere in a body (it could rewrite an object's prototype); rename it`;
    throw new MlstreamError('INVALID_REQUEST', `${path}: ${message}`, { details: { errors: [{ path, message }] } });
  }
  return value;
}
