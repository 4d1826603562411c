import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, valuesOf, type TableRow } from './types.ts';

type FeatureEvent = Extract<DecodedEvent, { type: 'FeatureValuesLogged' }>;

/** One feature_values row per FeatureValuesLogged (infra/clickhouse/008_features.sql). */
export function projectFeatureValues(event: FeatureEvent): TableRow[] {
  const v = event.value;
  return [
    {
      table: 'feature_values',
      row: {
        ...baseColumns(event),
        view: v.view,
        view_version: v.viewVersion,
        entity_key: v.entityKey,
        numeric_keys: keys(v.numericValues),
        numeric_values: valuesOf(v.numericValues),
        // JavaScript's shortest round-trip text: exact, where ClickHouse 18.16's float parsing is not.
        numeric_exact: valuesOf(v.numericValues).map(String),
        categorical_keys: keys(v.categoricalValues),
        categorical_values: valuesOf(v.categoricalValues),
      },
    },
  ];
}
