import { describe, expect, it } from 'vitest';
import { PartitionState } from './state.ts';

// Where the next event lands decides whether a transaction can send events and results in one request
// (runtime.ts): a wrong offset here would be caught by the acks, but a forgotten one only costs a round trip.
describe('PartitionState next event offset', () => {
  it('is unknown until a committed transaction wrote events, then base + count + 1 (the commit marker)', () => {
    const state = new PartitionState({});
    expect(state.nextEventOffset).toBeUndefined();
    state.stageEventsWritten(40, 3);
    expect(state.nextEventOffset).toBeUndefined();
    state.commit();
    expect(state.nextEventOffset).toBe(44);
  });

  it('holds across a committed transaction without events (it did not touch the event partition)', () => {
    const state = new PartitionState({});
    state.stageEventsWritten(0, 2);
    state.commit();
    state.stageEventsWritten(99, 0);
    state.commit();
    expect(state.nextEventOffset).toBe(3);
  });

  it('is forgotten by a rollback (an aborted transaction leaves records and a marker of uncertain count)', () => {
    const state = new PartitionState({});
    state.stageEventsWritten(0, 2);
    state.commit();
    state.stageEventsWritten(3, 5);
    state.rollback();
    expect(state.nextEventOffset).toBeUndefined();
    state.commit();
    expect(state.nextEventOffset).toBeUndefined();
  });

  it('is forgotten when events were written at an offset the acks did not tell', () => {
    const state = new PartitionState({});
    state.stageEventsWritten(0, 2);
    state.commit();
    state.stageEventsWritten(Number.NaN, 2);
    state.commit();
    expect(state.nextEventOffset).toBeUndefined();
  });
});
