export * from './common.ts';
export * from './health.ts';
export * from './runs.ts';
export * from './current-state.ts';
export * from './registry.ts';
export * from './drift.ts';
export * from './drift-feature.ts';
export * from './datasets.ts';
