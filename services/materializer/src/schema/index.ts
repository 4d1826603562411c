export * from './plan.ts';
export * from './migrate.ts';
