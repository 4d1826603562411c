export * from './service-metrics.ts';
export * from './group-lag.ts';
