import type { Kafka } from 'kafkajs';
import type { Logger, ResolvedCatalog, Serde } from '@mlstream/kit';
import type { AnswerCache } from '../idempotency/index.ts';
import type { CommandWaiter, FactProducer } from '../kafka/index.ts';
import type { Limits } from '../limits/index.ts';
import type { ReadView } from '../views/index.ts';
import type { AnalyticsDeps } from '@mlstream/materializer';
import type { ArtifactStore } from '../artifacts/index.ts';

/** Everything the /v1 routes use, passed in (no module singletons). */
export interface RouteDeps {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  producer: FactProducer;
  waiter: CommandWaiter;
  answers: AnswerCache;
  /** The in-memory read view (experiments, runs, registry, artifacts) with read-your-writes: docs/read-your-writes.md. */
  view: ReadView;
  logger: Logger;
  limits: Limits;
  commandTimeoutMs: number;
  maxStreams: number;
  heartbeatMs: number;
  /** The ClickHouse read model for the analytics routes; without it they are not served. */
  analytics?: AnalyticsDeps;
  /** The artifact store behind /api/2.0/mlflow-artifacts and the largest artifact it accepts. */
  artifacts?: { store: ArtifactStore; maxBytes: number };
  /** Base URL of the features service that answers POST /v1/features/online (proxied); unset: not served. */
  featuresUrl?: string;
  /** Injected for tests; default Date.now. */
  now?: () => number;
}
