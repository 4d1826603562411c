import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { MlstreamError } from '../errors/index.ts';
import { SHA256_HEX, type ArtifactStore, type StoredBlob, type VerifiedBlob } from './artifact-store.ts';

export interface LocalArtifactStoreOptions {
  /** Folder of the store; blobs live at `<root>/blobs/<sha[0:2]>/<sha256>`. Created if missing. */
  root: string;
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/** Counts and hashes the bytes passing through; fails the pipeline past `maxBytes`. */
function hashingLimit(maxBytes: number) {
  const hash = createHash('sha256');
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new MlstreamError('PAYLOAD_TOO_LARGE', `the artifact exceeds ${maxBytes} bytes (MLSTREAM_ARTIFACT_MAX_BYTES)`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { transform, result: () => ({ sha256: hash.digest('hex'), size }) };
}

/** Temp files older than this are left over from a crash mid-upload (no upload takes a day), even with several gateways sharing the folder. */
const STALE_PART_MS = 24 * 60 * 60 * 1000;

async function removeStaleParts(tmp: string) {
  const now = Date.now();
  for (const name of await readdir(tmp)) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(tmp, name);
    const s = await stat(file).catch(() => undefined);
    if (s && now - s.mtimeMs > STALE_PART_MS) await unlink(file).catch(() => {});
  }
}

/** fsync of a folder, so a rename into it survives a crash. */
async function syncDir(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The local artifact store: one file per blob, named by its sha256.
 * A put streams to a temp file beside the blobs (same file system), hashing
 * as it goes, fsyncs it, then renames it to its name and fsyncs the folder:
 * a blob is either complete under its name or absent, never half-written.
 * Renaming over an existing blob is harmless (same bytes), heals a blob that
 * was damaged on disk, and makes concurrent puts of one blob safe.
 */
export function createLocalArtifactStore(options: LocalArtifactStoreOptions): ArtifactStore {
  if (!options.root || !path.isAbsolute(options.root)) throw new TypeError(`createLocalArtifactStore: \`root\` must be an absolute folder path (got "${options.root}")`);
  const blobs = path.join(options.root, 'blobs');
  const tmp = path.join(blobs, 'tmp');
  const fileOf = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new MlstreamError('ARTIFACT_NOT_FOUND', `"${sha256}" is not a sha256`);
    return path.join(blobs, sha256.slice(0, 2), sha256);
  };
  let ready: Promise<unknown> | undefined;
  const prepare = () =>
    (ready ??= mkdir(tmp, { recursive: true })
      .then(() => removeStaleParts(tmp))
      .catch((error: unknown) => {
        ready = undefined;
        throw error;
      }));

  const statBlob = async (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) return undefined;
    try {
      return { size: (await stat(fileOf(sha256))).size };
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  };

  return {
    uriOf: (sha256) => pathToFileURL(fileOf(sha256)).href,

    async put(body: Readable, { maxBytes }): Promise<StoredBlob> {
      await prepare();
      const temp = path.join(tmp, `${randomUUID()}.part`);
      const counter = hashingLimit(maxBytes);
      try {
        const out = createWriteStream(temp, { flags: 'wx' });
        await pipeline(body, counter.transform, out);
        const handle = await open(temp, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        const { sha256, size } = counter.result();
        const final = fileOf(sha256);
        await mkdir(path.dirname(final), { recursive: true });
        await rename(temp, final);
        await syncDir(path.dirname(final));
        return { sha256, size, uri: pathToFileURL(final).href };
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
    },

    async open(sha256): Promise<VerifiedBlob> {
      const file = fileOf(sha256);
      const handle = await open(file, 'r').catch((error: unknown) => {
        if (missing(error)) throw new MlstreamError('ARTIFACT_NOT_FOUND', `blob ${sha256} is not in the store`, { cause: error });
        throw error;
      });
      let size = 0;
      try {
        // Hash through the same descriptor that will serve: what is verified is what is sent.
        const hash = createHash('sha256');
        for await (const chunk of handle.createReadStream({ start: 0, autoClose: false }) as AsyncIterable<Buffer>) {
          size += chunk.length;
          hash.update(chunk);
        }
        const actual = hash.digest('hex');
        if (actual !== sha256) {
          throw new MlstreamError('ARTIFACT_CORRUPT', `blob ${sha256} hashes to ${actual} (${size} bytes): the file ${file} changed after it was stored; nothing was served`, {
            details: { sha256, actual, size },
          });
        }
      } catch (error) {
        await handle.close();
        throw error;
      }
      let used = false;
      return {
        size,
        stream: () => {
          if (used) throw new Error('VerifiedBlob.stream() may be called once');
          used = true;
          return handle.createReadStream({ start: 0, autoClose: true });
        },
        close: async () => {
          if (!used) await handle.close();
        },
      };
    },

    has: async (sha256) => (await statBlob(sha256)) !== undefined,
    stat: statBlob,
  };
}
