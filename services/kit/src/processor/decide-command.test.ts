import { describe, expect, it } from 'vitest';
import type { RecordName } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import { decideCommand } from './decide-command.ts';
import { deterministicUuid } from './ids.ts';
import { PartitionState } from './state.ts';

// A tiny aggregate over real record types: SetTags on a run adds its tags (one
// TagsSet event, two when asked to split); a tag named "forbidden" is refused.
type Tags = Record<string, string>;
const tagsDecider: Decider<'SetTags', 'TagsSet', Tags> = {
  aggregate: 'run',
  initialState: {},
  decide(command) {
    const { runId, tags } = command.value;
    if ('forbidden' in tags) return { rejection: { code: 'INVALID_COMMAND', message: 'no forbidden tags', details: { field: 'tags' } } };
    if ('split' in tags) return { events: Object.entries(tags).map(([k, v]) => ({ type: 'TagsSet' as const, value: { runId, tags: { [k]: v } } })) };
    return { events: [{ type: 'TagsSet', value: { runId, tags } }] };
  },
  evolve: (state, event) => ({ ...state, ...event.value.tags }),
};

const setTags = (commandId: string, tags: Tags, expectedVersion: number | null = null): Envelope<'SetTags'> => ({
  type: 'SetTags',
  value: { eventId: `e-${commandId}`, occurredAt: 1_000, commandId, actor: 'ci', expectedVersion, runId: 'r1', tags },
});

const decide = (state: PartitionState<Tags>, command: Envelope<'SetTags'>, sourceOffset: number) =>
  decideCommand({ decider: tagsDecider, state, command, aggregateId: 'r1', sourceOffset, fullName: (t: RecordName) => `dev.mlstream.runs.${t}`, eventTopic: 'mlops.runs.v1', partition: 2 });

describe('decideCommand', () => {
  it('stamps accepted events from the command and stages the new version and the outcome', () => {
    const state = new PartitionState<Tags>({});
    const d = decide(state, setTags('c1', { a: '1', split: 'y' }), 7);
    expect(d.events.map((e) => e.value)).toEqual([
      { runId: 'r1', tags: { a: '1' }, eventId: deterministicUuid('c1:0'), occurredAt: 1_000, commandId: 'c1', actor: 'ci', aggregateVersion: 1 },
      { runId: 'r1', tags: { split: 'y' }, eventId: deterministicUuid('c1:1'), occurredAt: 1_000, commandId: 'c1', actor: 'ci', aggregateVersion: 2 },
    ]);
    expect(d.refs).toEqual([
      { eventId: deterministicUuid('c1:0'), type: 'dev.mlstream.runs.TagsSet', topic: 'mlops.runs.v1', partition: 2, offset: null },
      { eventId: deterministicUuid('c1:1'), type: 'dev.mlstream.runs.TagsSet', topic: 'mlops.runs.v1', partition: 2, offset: null },
    ]);
    expect(d.result).toEqual({
      type: 'CommandAccepted',
      value: { commandId: 'c1', commandType: 'dev.mlstream.runs.SetTags', aggregate: 'run', aggregateId: 'r1', sourceOffset: 7, eventId: deterministicUuid('c1:result'), occurredAt: 1_000, aggregateVersion: 2, events: d.refs },
    });
    expect(state.aggregate('r1')).toEqual({ version: 2, state: { a: '1', split: 'y' } });
    expect(state.outcome('c1')).toEqual(d.result);
  });

  describe('a repeated command id', () => {
    it('is answered with its first outcome, applied once, wherever it repeats', () => {
      const state = new PartitionState<Tags>({});
      const first = decide(state, setTags('c1', { a: '1' }), 3);
      state.commit();
      // The same id again, even with other content: nothing new happens.
      const again = decide(state, setTags('c1', { b: '2' }), 9);
      expect(again.events).toEqual([]);
      expect(again.refs).toEqual([]);
      expect(again.result).toEqual({ type: 'CommandAccepted', value: { ...first.result.value, sourceOffset: 9, eventId: deterministicUuid('c1:result:9') } });
      expect(state.aggregate('r1')).toEqual({ version: 1, state: { a: '1' } });
    });

    it('is caught within the same batch, before the commit', () => {
      const state = new PartitionState<Tags>({});
      decide(state, setTags('c1', { a: '1' }), 3);
      expect(decide(state, setTags('c1', { a: '1' }), 4).events).toEqual([]);
      expect(state.aggregate('r1').version).toBe(1);
    });

    it('repeats a rejection too, even when the command would now pass', () => {
      const state = new PartitionState<Tags>({});
      decide(state, setTags('c2', { a: '1' }, 5), 0);
      decide(state, setTags('c1', { a: '1' }), 1);
      const again = decide(state, setTags('c2', { a: '1' }, 1), 2);
      expect(again.result.type).toBe('CommandRejected');
      expect(again.result.value).toMatchObject({ errorCode: 'VERSION_CONFLICT', sourceOffset: 2 });
      expect(state.aggregate('r1').version).toBe(1);
    });

    it('is a new command after an abort', () => {
      const state = new PartitionState<Tags>({});
      decide(state, setTags('c1', { a: '1' }), 3);
      state.rollback();
      expect(decide(state, setTags('c1', { a: '1' }), 3).events).toHaveLength(1);
    });
  });

  describe('expectedVersion', () => {
    const atVersion2 = () => {
      const state = new PartitionState<Tags>({});
      decide(state, setTags('c1', { a: '1', split: 'y' }), 0);
      state.commit();
      return state;
    };

    it('rejects a command that expects another version: VERSION_CONFLICT, nothing applied', () => {
      const state = atVersion2();
      for (const expected of [0, 1, 3]) {
        const d = decide(state, setTags(`stale-${expected}`, { b: '2' }, expected), 5);
        expect(d.events).toEqual([]);
        expect(d.refs).toEqual([]);
        expect(d.result).toEqual({
          type: 'CommandRejected',
          value: {
            commandId: `stale-${expected}`,
            commandType: 'dev.mlstream.runs.SetTags',
            aggregate: 'run',
            aggregateId: 'r1',
            sourceOffset: 5,
            eventId: deterministicUuid(`stale-${expected}:result`),
            occurredAt: 1_000,
            errorCode: 'VERSION_CONFLICT',
            message: `expected version ${expected}, but r1 is at version 2`,
            currentVersion: 2,
            details: { expectedVersion: String(expected), currentVersion: '2' },
          },
        });
      }
      expect(state.aggregate('r1')).toEqual({ version: 2, state: { a: '1', split: 'y' } });
    });

    it('accepts the current version, and skips the check when null or absent', () => {
      const state = atVersion2();
      expect(decide(state, setTags('ok', { b: '2' }, 2), 5).result.type).toBe('CommandAccepted');
      expect(decide(state, setTags('any', { c: '3' }, null), 6).result.type).toBe('CommandAccepted');
      const { expectedVersion: _absent, ...withoutField } = setTags('absent', { d: '4' }).value;
      expect(decide(state, { type: 'SetTags', value: withoutField }, 7).result.type).toBe('CommandAccepted');
      expect(state.aggregate('r1').version).toBe(5);
    });
  });

  it("passes the decider's rejection on with its code and details, staging nothing but the outcome", () => {
    const state = new PartitionState<Tags>({});
    const d = decide(state, setTags('bad', { forbidden: 'x' }), 4);
    expect(d.events).toEqual([]);
    expect(d.refs).toEqual([]);
    expect(d.result).toMatchObject({ type: 'CommandRejected', value: { errorCode: 'INVALID_COMMAND', message: 'no forbidden tags', details: { field: 'tags' }, currentVersion: 0 } });
    expect(state.aggregate('r1')).toEqual({ version: 0, state: {} });
    expect(state.outcome('bad')).toEqual(d.result);
  });
});
