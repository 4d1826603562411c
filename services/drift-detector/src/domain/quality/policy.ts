import { deterministicUuid, type DataQualityFailed, type DataQualityMeasured } from '@mlstream/kit';
import type { DetectorConfig } from '../config.ts';

/** Evidence name of a quality failure among the drifted features of RetrainRequested (action RETRAIN only). */
export const QUALITY = '__quality__';

export const describeFailures = (m: Pick<DataQualityMeasured, 'failures'>) =>
  m.failures
    .slice(0, 10)
    .map((f) => (f.feature ? `${f.feature} ${f.check} ${+f.observed.toFixed(4)} > ${f.threshold}` : `${f.check} ${+f.observed.toFixed(4)} < ${f.threshold}`))
    .join(', ') + (m.failures.length > 10 ? `, … ${m.failures.length - 10} more` : '');

/**
 * Hysteresis like drift's: K failed windows in a row give one
 * DataQualityFailed, and the streak starts again; a passing window breaks it.
 * `streak` holds the DataQualityMeasured ids of the current streak (mutated).
 */
export function applyQualityPolicy(streak: string[], measured: DataQualityMeasured, config: DetectorConfig): DataQualityFailed | null {
  if (measured.passed) {
    streak.length = 0;
    return null;
  }
  streak.push(measured.eventId);
  if (streak.length < config.qualityConsecutiveWindows) return null;
  const measurementIds = streak.splice(0, streak.length);
  return {
    eventId: deterministicUuid(`quality:${measured.window.id}:failed`),
    occurredAt: measured.occurredAt,
    model: measured.model,
    version: measured.version,
    windowId: measured.window.id,
    measurementIds,
    failures: measured.failures,
    reason: `${measurementIds.length} consecutive windows failed their quality checks; last: ${describeFailures(measured)}`,
    action: config.qualityAction,
    consecutiveWindows: config.qualityConsecutiveWindows,
  };
}
