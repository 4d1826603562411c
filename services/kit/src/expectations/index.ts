export * from './expectation.ts';
export * from './summary.ts';
export * from './evaluate.ts';
export * from './record.ts';
