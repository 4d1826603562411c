// Moved to kit (the orchestrator writes training snapshots to the same store): one store, re-exported here.
export { SHA256_HEX, type ArtifactStore, type PutOptions, type StoredBlob, type VerifiedBlob } from '@mlstream/kit';
