export * from './run-metrics.ts';
