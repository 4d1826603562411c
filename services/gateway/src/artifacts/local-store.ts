export { createLocalArtifactStore, type LocalArtifactStoreOptions } from '@mlstream/kit';
