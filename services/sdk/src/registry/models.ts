import type { Http } from '../http/index.ts';
import type { CommandResult } from '../tracking/index.ts';

export type Stage = 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' | 'ARCHIVED';

export interface RegisterOptions {
  artifactUri: string;
  runId?: string;
  artifactSha256?: string;
  signature?: Array<{ name: string; type: string }>;
  description?: string;
  tags?: Record<string, string>;
  reason?: string;
  expectedVersion?: number;
  idempotencyKey?: string;
}

export interface TransitionOptions {
  /** Default true: promoting to PRODUCTION archives the previous PRODUCTION version. */
  archivePrevious?: boolean;
  gate?: { metric: string; comparator: 'GT' | 'GTE' | 'LT' | 'LTE'; threshold?: number; beatProduction?: boolean };
  /** validatedData gate: refuse PRODUCTION when the version's training data failed platform validation. */
  requireValidatedData?: boolean;
  /** Promote despite failed data validation, for this reason (recorded on the event). */
  overrideReason?: string;
  reason?: string;
  expectedVersion?: number;
  idempotencyKey?: string;
}

export interface ModelVersionView {
  model: string;
  version: number;
  runId: string | null;
  source: string;
  stage: Stage;
  description: string;
  tags: Record<string, string>;
  aliases: string[];
  userId: string;
  creationTime: number;
  lastUpdatedTime: number;
}

export interface RegisteredModelView {
  name: string;
  description: string;
  tags: Record<string, string>;
  aliases: Record<string, number>;
  versions: ModelVersionView[];
  creationTime: number;
  lastUpdatedTime: number;
}

export interface Models {
  /** Registered models with their live versions, by name (read-your-writes). */
  list(): Promise<RegisteredModelView[]>;
  get(model: string): Promise<RegisteredModelView>;
  version(model: string, version: number): Promise<ModelVersionView>;
  /** The version an alias points at. */
  byAlias(model: string, alias: string): Promise<ModelVersionView>;
  register(model: string, options: RegisterOptions): Promise<CommandResult & { model: string; version: number }>;
  transition(model: string, version: number, stage: Stage, options?: TransitionOptions): Promise<CommandResult>;
  setAlias(model: string, alias: string, version: number, options?: { reason?: string; expectedVersion?: number }): Promise<CommandResult>;
  deleteAlias(model: string, alias: string, options?: { reason?: string; expectedVersion?: number }): Promise<CommandResult>;
}

export const modelsApi = (http: Http): Models => {
  const base = (model: string) => `/v1/models/${encodeURIComponent(model)}`;
  return {
    list: async () => (await http.request<{ models: RegisteredModelView[] }>('GET', '/v1/models')).models,
    get: (model) => http.request('GET', base(model)),
    version: (model, version) => http.request('GET', `${base(model)}/versions/${version}`),
    byAlias: (model, alias) => http.request('GET', `${base(model)}/aliases/${encodeURIComponent(alias)}`),
    register: (model, { idempotencyKey, ...body }) => http.request('POST', `${base(model)}/versions`, { body, idempotencyKey }),
    transition: (model, version, stage, { idempotencyKey, ...rest } = {}) =>
      http.request('POST', `${base(model)}/versions/${version}/stage`, { body: { stage, ...rest }, idempotencyKey }),
    setAlias: (model, alias, version, o = {}) => http.request('PUT', `${base(model)}/aliases/${encodeURIComponent(alias)}`, { body: { version, ...o } }),
    deleteAlias: (model, alias, o = {}) =>
      http.request('DELETE', `${base(model)}/aliases/${encodeURIComponent(alias)}`, {
        query: { reason: o.reason, expectedVersion: o.expectedVersion === undefined ? undefined : String(o.expectedVersion) },
      }),
  };
};
