import type { RouteDeps } from '../api/deps.ts';

/** What the MLflow routes use: the /v1 route deps, the gateway's read view included. */
export type MlflowDeps = RouteDeps;
