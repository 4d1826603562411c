export * from './range.ts';
export * from './checksum.ts';
export * from './compare.ts';
export * from './run.ts';
export * from './replay.ts';
export * from './report.ts';
