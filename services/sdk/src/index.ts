export * from './client.ts';
export * from './http/index.ts';
export * from './batching/index.ts';
export * from './tracking/index.ts';
export * from './registry/index.ts';
export * from './facts/index.ts';
export * from './kafka/index.ts';
export * from './streams/index.ts';
export * from './expectations/index.ts';
// A dataset version carries its feature profile: compute it here, without the drift detector.
export { profileDataset, type ProfileOptions, type ProfileRow } from '@mlstream/kit/profile';
