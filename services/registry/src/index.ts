export * from './domain/index.ts';
export * from './projections/index.ts';
export * from './service.ts';
