export * from './changelog.ts';
export * from './definitions.ts';
export * from './online-processor.ts';
export * from './online-view.ts';
export * from './skew-processor.ts';
export * from './freshness.ts';
