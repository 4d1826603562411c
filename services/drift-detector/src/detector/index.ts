export * from './config.ts';
export * from './state.ts';
export * from './evaluate.ts';
export * from './labels.ts';
export * from './detector.ts';
