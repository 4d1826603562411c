import type { DetectorState } from './state.ts';

/**
 * A piece of the serialized state whose source never changes once set (a
 * stream's reference sample, training profile, quality schema): the same
 * object is handed out for as long as its source lives, so whoever encodes it
 * (the snapshot's gzip) can do so once.
 */
export interface StableJson {
  readonly json: string;
}

/** serializeState's text, in order: fresh strings and cached stable pieces. */
export type StateSegments = Array<string | StableJson>;

/** Stream fields whose value is replaced, never mutated, once set. */
const STABLE_STREAM_FIELDS = new Set(['reference', 'profile', 'qualitySchema']);

const stable = new WeakMap<object, StableJson>();

const stableJson = (value: object): StableJson => {
  let s = stable.get(value);
  if (!s) stable.set(value, (s = { json: JSON.stringify(value) }));
  return s;
};

/** JSON.stringify leaves out properties with these values. */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** A model's state with its Maps as entry arrays (serializeState's form), so it stringifies without a replacer. */
const plainModel = (model: object): Record<string, unknown> => {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) plain[key] = value instanceof Map ? { __map: [...value.entries()] } : value;
  return plain;
};

/**
 * The text serializeState gives (the snapshot of each transaction), in
 * segments: per stream, the reference, profile and quality schema are
 * stringified once per object (StableJson), the rest afresh each time. A
 * JSON.stringify replacer (serializeState's) is called for every value of the
 * state, thousands per snapshot; here only ModelState's top-level Maps are
 * converted, up front. state-json.test.ts holds the two texts equal.
 */
export function serializeStateSegments(state: DetectorState): StateSegments {
  const segments: StateSegments = [];
  let text = '{';
  let firstTop = true;
  for (const [top, value] of Object.entries(state)) {
    if (omitted(value)) continue;
    text += `${firstTop ? '' : ','}${JSON.stringify(top)}:`;
    firstTop = false;
    if (top === 'streams') {
      text += '{';
      let firstStream = true;
      for (const [key, stream] of Object.entries(state.streams)) {
        if (omitted(stream)) continue;
        text += `${firstStream ? '' : ','}${JSON.stringify(key)}:{`;
        firstStream = false;
        let firstField = true;
        for (const [field, v] of Object.entries(stream)) {
          if (omitted(v)) continue;
          text += `${firstField ? '' : ','}${JSON.stringify(field)}:`;
          firstField = false;
          if (STABLE_STREAM_FIELDS.has(field) && v !== null && typeof v === 'object') {
            segments.push(text, stableJson(v));
            text = '';
          } else text += JSON.stringify(v);
        }
        text += '}';
      }
      text += '}';
    } else if (top === 'models') {
      const models: Record<string, unknown> = {};
      for (const [model, m] of Object.entries(state.models)) models[model] = m && typeof m === 'object' ? plainModel(m) : m;
      text += JSON.stringify(models);
    } else text += JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? { __map: [...v.entries()] } : v));
  }
  segments.push(`${text}}`);
  return segments;
}

/** The segments as one text (what serializeState returns). */
export const joinSegments = (segments: StateSegments): string => segments.map((s) => (typeof s === 'string' ? s : s.json)).join('');
