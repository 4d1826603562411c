export * from './services.ts';
export * from './supervisor.ts';
