import type { TransactionalState } from '../exactly-once/index.ts';
import type { CommandAccepted, CommandRejected } from '../contracts/index.ts';

export type Outcome = { type: 'CommandAccepted'; value: CommandAccepted } | { type: 'CommandRejected'; value: CommandRejected };

export interface Aggregate<S> {
  /** Number of events applied (the aggregate version). */
  version: number;
  state: S;
}

/**
 * Committed state of one owned partition plus a copy-on-write overlay for the
 * transaction in flight: commit merges it, rollback drops it, so an aborted
 * transaction leaves no trace in memory either (kit's exactly-once loop calls both).
 */
export class PartitionState<S> implements TransactionalState {
  private readonly aggregates = new Map<string, Aggregate<S>>();
  private readonly outcomes = new Map<string, Outcome>();
  private pendingAggregates = new Map<string, Aggregate<S>>();
  private pendingOutcomes = new Map<string, Outcome>();
  /**
   * Where this partition's next event will land in its event partition: learned from the acks of a committed
   * transaction (base + events + 1 for the commit marker). Forgotten by any rollback: an aborted transaction
   * leaves records and an abort marker of uncertain count. Undefined = unknown, learn it again.
   */
  private eventOffset: number | undefined;
  /** Staged by the transaction in flight; null: it wrote events at an unknown offset (forget on commit). */
  private pendingEventOffset: number | null | undefined;

  constructor(private readonly initial: S) {}

  aggregate(id: string): Aggregate<S> {
    return this.pendingAggregates.get(id) ?? this.aggregates.get(id) ?? { version: 0, state: this.initial };
  }

  outcome(commandId: string): Outcome | undefined {
    return this.pendingOutcomes.get(commandId) ?? this.outcomes.get(commandId);
  }

  stage(id: string, aggregate: Aggregate<S>): void {
    this.pendingAggregates.set(id, aggregate);
  }

  stageOutcome(commandId: string, outcome: Outcome): void {
    if (!this.outcome(commandId)) this.pendingOutcomes.set(commandId, outcome);
  }

  /** The offset the next event written to this partition's event partition gets, if known (see `eventOffset`). */
  get nextEventOffset(): number | undefined {
    return this.eventOffset;
  }

  /** The transaction in flight wrote events whose first landed at `base`: after its commit the next one lands at base + count + 1. */
  stageEventsWritten(base: number, count: number): void {
    if (count > 0) this.pendingEventOffset = Number.isSafeInteger(base) ? base + count + 1 : null;
  }

  commit(): void {
    for (const [id, a] of this.pendingAggregates) this.aggregates.set(id, a);
    for (const [id, o] of this.pendingOutcomes) this.outcomes.set(id, o);
    // A transaction without events did not touch the event partition (no records, no marker): the offset holds.
    if (this.pendingEventOffset !== undefined) this.eventOffset = this.pendingEventOffset ?? undefined;
    this.dropStaged();
  }

  rollback(): void {
    this.eventOffset = undefined;
    this.dropStaged();
  }

  private dropStaged(): void {
    this.pendingAggregates = new Map();
    this.pendingOutcomes = new Map();
    this.pendingEventOffset = undefined;
  }

  /** Rebuild: apply a committed event / remember a committed outcome directly. */
  restore(id: string, aggregate: Aggregate<S>): void {
    this.aggregates.set(id, aggregate);
  }

  restoreOutcome(commandId: string, outcome: Outcome): void {
    if (!this.outcomes.has(commandId)) this.outcomes.set(commandId, outcome);
  }

  get size(): { aggregates: number; outcomes: number } {
    return { aggregates: this.aggregates.size, outcomes: this.outcomes.size };
  }
}
