export * from './services.ts';
export * from './supervisor.ts';
export * from './instances.ts';
