export * from './artifact-store.ts';
export * from './local-store.ts';
