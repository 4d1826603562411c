export * from './deps.ts';
export * from './problems.ts';
export * from './validation.ts';
export * from './respond.ts';
export * from './facts.ts';
export * from './runs.ts';
export * from './models.ts';
export * from './streams.ts';
export * as schemas from './schemas/index.ts';
