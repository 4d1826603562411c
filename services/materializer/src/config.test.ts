import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { loadMaterializerConfig } from './config.ts';

describe('materializer config', () => {
  it('defaults to 5 000 events, 5 ms idle or 250 ms per partition batch, single node, migrations on', () => {
    expect(loadMaterializerConfig({})).toMatchObject({
      MLSTREAM_MATERIALIZER_MAX_EVENTS: 5_000,
      MLSTREAM_MATERIALIZER_IDLE_MS: 5,
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: 250,
      MLSTREAM_MATERIALIZER_RETRY_MAX_MS: 10_000,
      MLSTREAM_MATERIALIZER_MIGRATE: true,
      MLSTREAM_MATERIALIZER_INSERT_FORMAT: 'RowBinary',
      MLSTREAM_CLICKHOUSE_CLUSTER: '',
      MLSTREAM_CLICKHOUSE_INSERT_QUORUM: 0,
    });
  });

  it('names every bad variable and what it expects', () => {
    try {
      loadMaterializerConfig({ MLSTREAM_MATERIALIZER_MAX_EVENTS: '0', MLSTREAM_CLICKHOUSE_CLUSTER: "prod'; --", MLSTREAM_MATERIALIZER_MIGRATE: 'maybe' });
      throw new Error('expected CONFIG_INVALID');
    } catch (error) {
      expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('MLSTREAM_MATERIALIZER_MAX_EVENTS ("0"): expected a number of events per partition batch');
      expect(message).toContain('MLSTREAM_CLICKHOUSE_CLUSTER ("prod\'; --"): expected a cluster name');
      expect(message).toContain('MLSTREAM_MATERIALIZER_MIGRATE ("maybe"): expected true or false');
    }
  });
});
