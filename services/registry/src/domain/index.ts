export * from './stages.ts';
export * from './gate.ts';
export * from './model.ts';
export * from './point-in-time.ts';
export * from './validated-data.ts';
