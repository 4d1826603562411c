export * from './schema.ts';
export * from './accumulate.ts';
export * from './measure.ts';
export * from './policy.ts';
export * from './suite.ts';
