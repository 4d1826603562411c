import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '../errors/index.ts';
import { loadConnections } from './connections.ts';

const fail = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
};

describe('loadConnections', () => {
  it('defaults to the local stack', () => {
    expect(loadConnections({})).toEqual({
      kafkaBrokers: ['127.0.0.1:19092'],
      schemaRegistryUrl: 'http://127.0.0.1:18081/apis/ccompat/v7',
      clickhouse: { url: 'http://127.0.0.1:18123', username: 'default', password: '', database: 'mlstream' },
      topicPrefix: '',
      logLevel: 'info',
    });
  });

  it('follows moved local-stack ports', () => {
    const c = loadConnections({ MLSTREAM_KAFKA_PORT: '29092', MLSTREAM_CLICKHOUSE_HTTP_PORT: '28123' });
    expect(c.kafkaBrokers).toEqual(['127.0.0.1:29092']);
    expect(c.clickhouse.url).toBe('http://127.0.0.1:28123');
  });

  it('parses a broker list', () => {
    expect(loadConnections({ MLSTREAM_KAFKA_BROKERS: 'a:9092, b:9093' }).kafkaBrokers).toEqual(['a:9092', 'b:9093']);
  });

  it('names every bad variable, its value and what was expected', () => {
    const error = fail(() => loadConnections({ MLSTREAM_KAFKA_BROKERS: 'nohostport', MLSTREAM_LOG_LEVEL: 'loud', MLSTREAM_CLICKHOUSE_DATABASE: 'x;drop' }));
    expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain('MLSTREAM_KAFKA_BROKERS ("nohostport"): expected host:port[,host:port...]');
    expect(error.message).toContain('MLSTREAM_LOG_LEVEL ("loud"): expected one of fatal, error, warn, info, debug, trace, silent');
    expect(error.message).toContain('MLSTREAM_CLICKHOUSE_DATABASE ("x;drop"): expected a plain identifier');
  });
});
