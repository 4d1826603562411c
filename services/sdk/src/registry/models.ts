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
  reason?: string;
  expectedVersion?: number;
  idempotencyKey?: string;
}

export interface Models {
  register(model: string, options: RegisterOptions): Promise<CommandResult & { model: string; version: number }>;
  transition(model: string, version: number, stage: Stage, options?: TransitionOptions): Promise<CommandResult>;
  setAlias(model: string, alias: string, version: number, options?: { reason?: string; expectedVersion?: number }): Promise<CommandResult>;
  deleteAlias(model: string, alias: string, options?: { reason?: string; expectedVersion?: number }): Promise<CommandResult>;
}

export const modelsApi = (http: Http): Models => {
  const base = (model: string) => `/v1/models/${encodeURIComponent(model)}`;
  return {
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
