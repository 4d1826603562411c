export * from './artifact-store.ts';
export * from './local-store.ts';
export * from './paths.ts';
export * from './listing.ts';
export * from './routes.ts';
