import { deterministicUuid, type LabelDropReason, type LabelsDropped } from '@mlstream/kit';
import { labelAccounting, type ModelState } from './state.ts';

/** In the order a LabelsDropped lists them. */
export const LABEL_DROP_REASONS: readonly LabelDropReason[] = ['BACKLOG', 'NO_PREDICTION', 'REPLACED', 'UNKNOWN_VERSION'];

/** Request ids a LabelsDropped names per reason; its count stays exact beyond them. */
export const MAX_REPORTED_REQUEST_IDS = 100;

/** Drops since the model's last LabelsDropped, per reason: in the snapshot until the next window close reports them. */
export type UnreportedDrops = Partial<Record<LabelDropReason, { count: number; requestIds: string[] }>>;

/** A label leaves the join buffers unjoined: counted, and remembered for the next LabelsDropped of its model. */
export function dropLabel(model: ModelState, reason: LabelDropReason, requestId: string): void {
  model.labelsDropped += 1;
  const entry = (model.unreportedDrops[reason] ??= { count: 0, requestIds: [] });
  entry.count += 1;
  if (entry.requestIds.length < MAX_REPORTED_REQUEST_IDS) entry.requestIds.push(requestId);
}

/**
 * The LabelsDropped a window close publishes: every label of the model dropped
 * since its previous report (none: no record). Its id derives from the window
 * id, so a replay or a restarted detector publishes the same record.
 */
export function reportDrops(model: ModelState, window: { model: string; version: number; windowId: string; end: number }): LabelsDropped | null {
  const reasons = LABEL_DROP_REASONS.flatMap((reason) => {
    const entry = model.unreportedDrops[reason];
    return entry ? [{ reason, count: entry.count, requestIds: entry.requestIds }] : [];
  });
  if (!reasons.length) return null;
  model.unreportedDrops = {};
  return {
    eventId: deterministicUuid(`drift:${window.windowId}:labels-dropped`),
    occurredAt: window.end,
    model: window.model,
    version: window.version,
    windowId: window.windowId,
    dropped: reasons.reduce((n, r) => n + r.count, 0),
    reasons,
    accounting: labelAccounting(model),
  };
}
