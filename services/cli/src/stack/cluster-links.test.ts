import { describe, expect, it } from 'vitest';
import { clientNode, requestClientId } from './cluster-links.ts';

/** The first bytes of a Kafka request: size, api key, version, correlation id, client id. */
const header = (clientId: string | null) => {
  const id = clientId === null ? Buffer.alloc(0) : Buffer.from(clientId);
  const b = Buffer.alloc(14 + id.length);
  b.writeInt32BE(10 + id.length + 4, 0);
  b.writeInt16BE(3, 4);
  b.writeInt16BE(12, 6);
  b.writeInt32BE(7, 8);
  b.writeInt16BE(clientId === null ? -1 : id.length, 12);
  id.copy(b, 14);
  return b;
};

describe('cluster links', () => {
  it('reads the client id of a Kafka request header, asking for more bytes until it is complete', () => {
    const h = header('broker-2-fetcher-0');
    expect(requestClientId(h.subarray(0, 10))).toBeUndefined();
    expect(requestClientId(h.subarray(0, 20))).toBeUndefined();
    expect(requestClientId(h)).toBe('broker-2-fetcher-0');
    expect(requestClientId(header(null))).toBeNull();
  });

  it('tells the connections of broker N (fetchers, raft, its heartbeats) from every other client', () => {
    expect(clientNode('broker-2-fetcher-0')).toBe(2);
    expect(clientNode('broker-3-txn-marker-sender')).toBe(3);
    expect(clientNode('raft-client-1')).toBe(1);
    expect(clientNode('3')).toBe(3);
    expect(clientNode('1-to-controller-forwarding-channel-manager')).toBe(1);
    expect(clientNode('mlstream-gateway-7')).toBeUndefined();
    expect(clientNode('apicurio-consumer-1')).toBeUndefined();
    expect(clientNode(null)).toBeUndefined();
  });
  // The proxying itself runs against real brokers: test/cluster's partition test.
});
