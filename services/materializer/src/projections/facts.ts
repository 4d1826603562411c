import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, seconds, sortedEntries, valuesOf, type TableRow } from './types.ts';

type FactEvent = Extract<DecodedEvent, { type: 'DatasetVersionIngested' | 'PredictionLogged' | 'LabelObserved' | 'CommandAccepted' | 'CommandRejected' | 'DeadLetter' }>;

const asNumber = (v: number | string): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Rows of the fact streams: datasets, predictions, labels, command results, dead letters. */
export function projectFact(event: FactEvent): TableRow[] {
  switch (event.type) {
    case 'DatasetVersionIngested': {
      const base = baseColumns(event);
      const v = event.value;
      return [
        {
          table: 'datasets',
          row: {
            ...base,
            dataset_id: v.datasetId,
            version: v.version,
            uri: v.uri,
            content_sha256: v.contentSha256,
            row_count: v.rowCount,
            producer: v.producer,
            feature_names: v.features.map((f) => f.name),
            feature_types: v.features.map((f) => f.type),
            validation_passed: v.validation.passed ? 1 : 0,
            check_names: v.validation.checks.map((c) => c.name),
            check_passed: v.validation.checks.map((c) => (c.passed ? 1 : 0)),
            tag_keys: keys(v.tags),
            tag_values: valuesOf(v.tags),
            profile_json: JSON.stringify(v.profile),
          },
        },
      ];
    }
    case 'PredictionLogged': {
      // The hot path (one row per prediction): one flat literal, no `...base` spread.
      // V8 builds a spread-then-extended object ~10x slower (profile: docs/performance.md "Materialize and replay").
      const v = event.value;
      const ms = v.occurredAt;
      const numeric = sortedEntries(v.numericFeatures);
      const categorical = sortedEntries(v.categoricalFeatures);
      const probabilities = sortedEntries(v.probabilities);
      return [
        {
          table: 'predictions',
          row: {
            _topic: event.topic,
            _partition: event.partition,
            _offset: Number(event.offset),
            event_id: v.eventId,
            occurred_at: seconds(ms),
            occurred_ms: ms,
            request_id: v.requestId,
            model: v.model,
            version: v.version,
            latency_ms: v.latencyMs,
            is_error: v.error ? 1 : 0,
            error: v.error ?? '',
            prediction: String(v.prediction),
            prediction_num: asNumber(v.prediction),
            numeric_keys: numeric.keys,
            numeric_values: numeric.values,
            categorical_keys: categorical.keys,
            categorical_values: categorical.values,
            probability_keys: probabilities.keys,
            probability_values: probabilities.values,
          },
        },
      ];
    }
    case 'LabelObserved': {
      const v = event.value;
      const ms = v.occurredAt;
      return [
        {
          table: 'labels',
          row: {
            _topic: event.topic,
            _partition: event.partition,
            _offset: Number(event.offset),
            event_id: v.eventId,
            occurred_at: seconds(ms),
            occurred_ms: ms,
            request_id: v.requestId,
            model: v.model,
            label: String(v.label),
            label_num: asNumber(v.label),
          },
        },
      ];
    }
    case 'CommandAccepted':
    case 'CommandRejected': {
      const base = baseColumns(event);
      const v = event.value;
      const accepted = event.type === 'CommandAccepted';
      return [
        {
          table: 'command_results',
          row: {
            ...base,
            command_id: v.commandId,
            command_type: v.commandType,
            aggregate: v.aggregate,
            aggregate_id: v.aggregateId,
            outcome: accepted ? 'ACCEPTED' : 'REJECTED',
            aggregate_version: event.type === 'CommandAccepted' ? event.value.aggregateVersion : (event.value.currentVersion ?? null),
            error_code: event.type === 'CommandRejected' ? event.value.errorCode : '',
            message: event.type === 'CommandRejected' ? event.value.message : '',
            event_count: event.type === 'CommandAccepted' ? event.value.events.length : 0,
            source_offset: v.sourceOffset,
          },
        },
      ];
    }
    case 'DeadLetter': {
      const base = baseColumns(event);
      const v = event.value;
      return [
        {
          table: 'dead_letters',
          row: {
            ...base,
            source_topic: v.sourceTopic,
            source_partition: v.sourcePartition,
            source_offset: v.sourceOffset,
            error_code: v.errorCode,
            reason: v.reason,
            consumer: v.consumer,
            key_base64: v.key ? v.key.toString('base64') : '',
            value_base64: v.value ? v.value.toString('base64') : '',
            value_bytes: v.value?.length ?? 0,
            header_keys: (v.headers ?? []).map((h) => h.key),
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
