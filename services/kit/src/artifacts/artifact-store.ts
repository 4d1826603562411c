import type { Readable } from 'node:stream';

/** A blob the store holds, named by the SHA-256 of its bytes. */
export interface StoredBlob {
  /** SHA-256 of the bytes, 64 lowercase hex digits: the blob's only name. */
  sha256: string;
  size: number;
  /** Where the blob lives, for the ArtifactStored event and audits: `file:///…` or `s3://bucket/prefix/<sha256>`. */
  uri: string;
}

/** A blob whose bytes were hashed and matched their name; `stream()` serves those same bytes. */
export interface VerifiedBlob {
  size: number;
  /** The bytes, once; the caller must consume or destroy it (it releases the file). */
  stream(): Readable;
  /** Releases the blob without reading it. */
  close(): Promise<void>;
}

export interface PutOptions {
  /** Largest body accepted; beyond it the upload fails with PAYLOAD_TOO_LARGE and nothing is stored. */
  maxBytes: number;
}

/**
 * The artifact store mlstream owns: content-addressed, write-once blobs.
 * Paths (`<experimentId>/<runId>/artifacts/model/MLmodel`) are not the
 * store's business: the `ArtifactStored` events on `mlops.artifacts.v1`
 * map a path to the sha256 of its latest bytes, so the store only needs
 * "put these bytes" and "give me the bytes named X".
 *
 * Implementations: `createLocalArtifactStore` (a folder; what runs). An
 * S3-compatible store is designed in docs/artifacts.md (keys = sha256) and
 * not implemented.
 */
export interface ArtifactStore {
  /**
   * Streams the body into the store while hashing it. Resolves only once the
   * blob is durable under its sha256 (a crash after that loses nothing);
   * storing bytes that are already there is a no-op that resolves the same.
   */
  put(body: Readable, options: PutOptions): Promise<StoredBlob>;
  /**
   * Opens a blob and hashes it; resolves only when the bytes match the name.
   * ARTIFACT_NOT_FOUND when it is missing, ARTIFACT_CORRUPT when it changed:
   * nothing of a corrupt blob is ever handed out.
   */
  open(sha256: string): Promise<VerifiedBlob>;
  has(sha256: string): Promise<boolean>;
  /** Size on the store without reading the bytes; undefined when missing. */
  stat(sha256: string): Promise<{ size: number } | undefined>;
  /** The URI a blob of this sha256 has in this store. */
  uriOf(sha256: string): string;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
