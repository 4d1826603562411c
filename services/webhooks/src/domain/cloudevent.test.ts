import { describe, expect, it } from 'vitest';
import { deliveryIdOf, serializeCloudEvent, toCloudEvent } from './cloudevent.ts';
import { isSourceRecord, webhookSources } from './sources.ts';

describe('CloudEvent of a delivery', () => {
  const source = { record: 'RetrainRequested', fullName: 'dev.mlstream.retrain.RetrainRequested', topic: 'mlops.retrain.v1', partition: 2, offset: '41', model: 'churn', value: { eventId: 'ev-1', occurredAt: Date.UTC(2026, 10, 27), model: 'churn', payload: Buffer.from('hi') } };

  it('is structured CloudEvents 1.0 JSON whose id is stable per (source event, subscription)', () => {
    const event = toCloudEvent(source, 'sub-1');
    expect(event).toMatchObject({ specversion: '1.0', id: 'ev-1:sub-1', source: '/mlstream/mlops.retrain.v1', type: 'dev.mlstream.retrain.RetrainRequested', subject: 'churn', time: '2026-11-27T00:00:00.000Z', datacontenttype: 'application/json', mlstreampartition: 2, mlstreamoffset: '41', mlstreameventid: 'ev-1', mlstreamsubscription: 'sub-1' });
    expect(event.id).toBe(deliveryIdOf('ev-1', 'sub-1'));
    expect(toCloudEvent(source, 'sub-2').id).not.toBe(event.id);
  });

  it('serializes bytes as base64 and is deterministic (the same body on every attempt)', () => {
    const body = serializeCloudEvent(toCloudEvent(source, 'sub-1'));
    expect(JSON.parse(body).data.payload).toBe('aGk=');
    expect(serializeCloudEvent(toCloudEvent(source, 'sub-1'))).toBe(body);
  });

  it('prefixes a bare record name', () => {
    expect(toCloudEvent({ ...source, fullName: undefined }, 's').type).toBe('dev.mlstream.RetrainRequested');
  });
});

describe('sources', () => {
  it('deliver the agreed records, every record of a "*" source', () => {
    const of = (stream: string) => webhookSources.find((s) => s.stream === stream)!;
    expect(isSourceRecord(of('registry'), 'AliasSet')).toBe(true);
    expect(isSourceRecord(of('registry'), 'ModelTagsSet')).toBe(false);
    expect(isSourceRecord(of('retrain-jobs'), 'AnyJobEvent')).toBe(true);
  });
});
