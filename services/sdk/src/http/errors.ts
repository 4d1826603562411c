/** An RFC 9457 problem answered by the gateway, with mlstream's stable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  retriable: boolean;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

/** The gateway refused or could not complete a request; `code` is from docs/errors.md. */
export class MlstreamApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retriable: boolean;
  readonly problem: Problem;
  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(`${problem.code}: ${problem.detail}`, options);
    this.name = 'MlstreamApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.retriable = problem.retriable;
    this.problem = problem;
  }
}
