import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { sha256Hex } from '../auth/index.ts';
import { loadGatewayConfig } from './gateway-config.ts';

describe('gateway config', () => {
  it('defaults to port 8080, the development key and the documented limits', () => {
    const c = loadGatewayConfig({});
    expect(c.port).toBe(8080);
    expect(c.devKey).toBe(true);
    expect(c.apiKeys.map((k) => k.name)).toEqual(['dev']);
    expect(c.limits).toMatchObject({ bodyBytes: 1_048_576, batchItems: 1000, featuresPerPrediction: 1000, paramsPerBatch: 100, keyLength: 250, paramValueLength: 6000 });
  });

  it('reads configured keys and limits', () => {
    const c = loadGatewayConfig({ MLSTREAM_GATEWAY_API_KEYS: `ci:${sha256Hex('t')}:write:runs`, MLSTREAM_GATEWAY_BATCH_LIMIT: '50', MLSTREAM_GATEWAY_PORT: '9999' });
    expect(c).toMatchObject({ devKey: false, port: 9999, limits: { batchItems: 50 } });
    expect(c.apiKeys).toEqual([{ name: 'ci', sha256: sha256Hex('t'), scopes: ['write:runs'] }]);
  });

  it('bounds event times to 2000-01-01 .. now + 1 day by default; both ends are configurable and checked', () => {
    expect(loadGatewayConfig({}).limits).toMatchObject({ eventTimeMinMs: 946_684_800_000, eventTimeMaxAheadMs: 86_400_000 });
    expect(loadGatewayConfig({ MLSTREAM_GATEWAY_EVENT_TIME_MIN: '2020-06-01T00:00:00Z', MLSTREAM_GATEWAY_EVENT_TIME_MAX_AHEAD_MS: '60000' }).limits).toMatchObject({
      eventTimeMinMs: Date.UTC(2020, 5, 1),
      eventTimeMaxAheadMs: 60_000,
    });
    expect(loadGatewayConfig({ MLSTREAM_GATEWAY_EVENT_TIME_MIN: '0' }).limits.eventTimeMinMs).toBe(0);
    expect(() => loadGatewayConfig({ MLSTREAM_GATEWAY_EVENT_TIME_MIN: 'yesterday' })).toThrow(/MLSTREAM_GATEWAY_EVENT_TIME_MIN \("yesterday"\): expected an ISO-8601 date/);
    expect(() => loadGatewayConfig({ MLSTREAM_GATEWAY_EVENT_TIME_MIN: '8640000000000000' })).toThrow(/between 1970 and 2100/);
    expect(() => loadGatewayConfig({ MLSTREAM_GATEWAY_EVENT_TIME_MAX_AHEAD_MS: String(400 * 86_400_000) })).toThrow(/MLSTREAM_GATEWAY_EVENT_TIME_MAX_AHEAD_MS.*at most 366 days/);
  });

  it('names the variable and the problem', () => {
    let error: unknown;
    try {
      loadGatewayConfig({ MLSTREAM_GATEWAY_API_KEYS: 'ci:nothex:read', MLSTREAM_GATEWAY_BATCH_LIMIT: '0' });
    } catch (e) {
      error = e;
    }
    expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('MLSTREAM_GATEWAY_API_KEYS ("ci:nothex:read"): key "ci": expected the SHA-256');
    expect((error as Error).message).toContain('MLSTREAM_GATEWAY_BATCH_LIMIT ("0"): expected a positive whole number');
  });
});

describe('gateway config: artifact store', () => {
  it('keeps artifacts under the state folder by default, 2 GiB at most each', () => {
    expect(loadGatewayConfig({ MLSTREAM_HOME: '/srv/mlstream' }).artifacts).toEqual({ root: '/srv/mlstream/artifacts', maxBytes: 2 * 1024 ** 3 });
    expect(loadGatewayConfig({}).artifacts.root).toMatch(/\/\.mlstream\/artifacts$/);
  });

  it('moves the store with MLSTREAM_ARTIFACT_ROOT and checks MLSTREAM_ARTIFACT_MAX_BYTES', () => {
    expect(loadGatewayConfig({ MLSTREAM_HOME: '/srv/mlstream', MLSTREAM_ARTIFACT_ROOT: '/data/blobs', MLSTREAM_ARTIFACT_MAX_BYTES: '1000' }).artifacts).toEqual({ root: '/data/blobs', maxBytes: 1000 });
    expect(() => loadGatewayConfig({ MLSTREAM_ARTIFACT_MAX_BYTES: '-1' })).toThrow(/MLSTREAM_ARTIFACT_MAX_BYTES.*expected a number of bytes/);
  });
});
