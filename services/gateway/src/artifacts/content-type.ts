import path from 'node:path';

/** Files MLflow writes that carry no telling extension but are text (MLflow's own server answers text/plain for them). */
const TEXT_FILES = new Set(['MLmodel', 'MLproject', 'requirements.txt', 'conda.yaml', 'python_env.yaml']);

const BY_EXTENSION: Record<string, string> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.yaml': 'text/plain',
  '.yml': 'text/plain',
  '.md': 'text/plain',
  '.py': 'text/plain',
  '.csv': 'text/csv',
  '.tsv': 'text/plain',
  '.json': 'application/json',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.pdf': 'application/pdf',
};

/**
 * Content-Type of a downloaded artifact, chosen the way MLflow's server does
 * (from the name; binary when unknown). Downloads are always attachments with
 * `X-Content-Type-Options: nosniff`, so an .html artifact cannot script the
 * gateway's origin.
 */
export function contentTypeOf(artifactPath: string): string {
  const name = path.posix.basename(artifactPath);
  if (TEXT_FILES.has(name)) return 'text/plain';
  return BY_EXTENSION[path.posix.extname(name).toLowerCase()] ?? 'application/octet-stream';
}
