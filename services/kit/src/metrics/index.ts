export * from './service-metrics.ts';
