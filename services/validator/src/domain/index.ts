export * from './suite.ts';
export * from './suite-history.ts';
export * from './dataset-history.ts';
export * from './validate.ts';
export * from './audit.ts';
