/** A CloudEvents 1.0 event in structured JSON mode, as POSTed to a subscriber. */
export interface CloudEvent {
  specversion: '1.0';
  /** `<source event id>:<subscription id>`: the same for every attempt and redelivery; deduplicate on it. */
  id: string;
  /** `/mlstream/<topic>`. */
  source: string;
  /** `dev.mlstream.<Avro full name>`, e.g. dev.mlstream.retrain.RetrainRequested. */
  type: string;
  /** The model the event is about. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Extensions: where the source event sits in Kafka, and the subscription. */
  mlstreamtopic: string;
  mlstreampartition: number;
  mlstreamoffset: string;
  mlstreameventid: string;
  mlstreamsubscription: string;
  data: unknown;
}

export interface SourceEvent {
  /** Avro record name, e.g. RetrainRequested. */
  record: string;
  /** Avro full name from the ce_type header, if present. */
  fullName?: string;
  /** Topic without the deployment prefix. */
  topic: string;
  partition: number;
  offset: string;
  model: string;
  value: { eventId: string; occurredAt: number } & Record<string, unknown>;
}

/** The dedupe id of a delivery: stable across attempts, restarts and redeliveries. */
export const deliveryIdOf = (sourceEventId: string, subscriptionId: string): string => `${sourceEventId}:${subscriptionId}`;

/** JSON of an Avro value: bytes as base64, bigints as strings. */
const jsonSafe = (_key: string, v: unknown): unknown => {
  if (typeof v === 'bigint') return v.toString();
  if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return Buffer.from((v as { data: number[] }).data).toString('base64');
  return v;
};

export function toCloudEvent(event: SourceEvent, subscriptionId: string): CloudEvent {
  const type = event.fullName ?? event.record;
  return {
    specversion: '1.0',
    id: deliveryIdOf(event.value.eventId, subscriptionId),
    source: `/mlstream/${event.topic}`,
    type: type.startsWith('dev.mlstream.') ? type : `dev.mlstream.${type}`,
    subject: event.model,
    time: new Date(event.value.occurredAt).toISOString(),
    datacontenttype: 'application/json',
    mlstreamtopic: event.topic,
    mlstreampartition: event.partition,
    mlstreamoffset: event.offset,
    mlstreameventid: event.value.eventId,
    mlstreamsubscription: subscriptionId,
    data: event.value,
  };
}

/** The exact body bytes that are signed and sent. */
export const serializeCloudEvent = (event: CloudEvent): string => JSON.stringify(event, jsonSafe);
