import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from './service.ts';

describe('loadServiceConfig', () => {
  it('listens on loopback and a free port by default', () => {
    expect(loadServiceConfig({})).toMatchObject({ MLSTREAM_HTTP_HOST: '127.0.0.1', MLSTREAM_HTTP_PORT: 0 });
  });

  it('accepts every address a container or a host uses', () => {
    for (const host of ['0.0.0.0', '::', '::1', '10.1.2.3', 'localhost', 'metrics.internal']) expect(loadServiceConfig({ MLSTREAM_HTTP_HOST: host }).MLSTREAM_HTTP_HOST).toBe(host);
  });

  it('refuses what cannot be listened on, naming the variable', () => {
    for (const host of ['', 'http://0.0.0.0', '0.0.0.0:8081', 'a b']) {
      expect(() => loadServiceConfig({ MLSTREAM_HTTP_HOST: host })).toThrow(/MLSTREAM_HTTP_HOST .*expected an IP address or a host name/);
    }
    expect(() => loadServiceConfig({ MLSTREAM_HTTP_PORT: '70000' })).toThrow(/MLSTREAM_HTTP_PORT .*between 1 and 65535/);
  });
});
