export * from './decider.ts';
export * from './ids.ts';
export * from './state.ts';
export * from './runtime.ts';
export * from './service.ts';
export * from './decide-command.ts';
