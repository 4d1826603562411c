import type { RouteDeps } from '../api/deps.ts';
import type { ReadView } from '../views/types.ts';

/** What the MLflow routes use: the /v1 route deps and the gateway's read view. */
export type MlflowDeps = RouteDeps & { view: ReadView };
