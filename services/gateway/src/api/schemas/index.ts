export * from './common.ts';
export * from './facts.ts';
export * from './runs.ts';
export * from './models.ts';
export * from './reads.ts';
export * from './features.ts';
