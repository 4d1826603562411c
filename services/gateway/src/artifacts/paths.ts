import { MlstreamError } from '@mlstream/kit';

/** Who an artifact path belongs to, read from the path itself (the layout MLflow's artifact URIs give it). */
export interface ArtifactOwner {
  experimentId: string | null;
  runId: string | null;
  loggedModelId: string | null;
}

const EXPERIMENT_ID = /^\d{1,20}$/;

/**
 * A path as the mlflow-artifacts API names it, made canonical: `/` separated,
 * no empty or `.` segments, no trailing slash. Refused (INVALID_REQUEST) like
 * MLflow's `validate_path_is_safe` refuses them: `..` segments, absolute
 * paths, backslashes, drive letters, `#`, control characters.
 */
export function canonicalArtifactPath(raw: string): string {
  const unsafe =
    raw.includes('#') ||
    raw.includes('\\') ||
    [...raw].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) ||
    raw.startsWith('/') ||
    /^[A-Za-z]:/.test(raw) ||
    raw.split('/').includes('..');
  if (unsafe) throw new MlstreamError('INVALID_REQUEST', `Invalid path: "${raw}" (no "..", absolute paths, backslashes, "#" or control characters)`);
  return raw
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/**
 * `<experimentId>/<runId>/artifacts/...` belongs to a run,
 * `<experimentId>/models/<modelId>/artifacts/...` to a logged model
 * (docs/artifacts.md "Paths"); anything else only to the experiment its
 * first segment names, if that is an experiment id.
 */
export function ownerOf(path: string): ArtifactOwner {
  const [first, second, third, fourth] = path.split('/');
  const experimentId = first !== undefined && EXPERIMENT_ID.test(first) ? first : null;
  if (experimentId === null) return { experimentId: null, runId: null, loggedModelId: null };
  if (second === 'models' && third && fourth === 'artifacts') return { experimentId, runId: null, loggedModelId: third };
  if (second && second !== 'models' && third === 'artifacts') return { experimentId, runId: second, loggedModelId: null };
  return { experimentId, runId: null, loggedModelId: null };
}
