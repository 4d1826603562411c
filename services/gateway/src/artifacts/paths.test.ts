import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { canonicalArtifactPath, ownerOf } from './paths.ts';

describe('artifact paths', () => {
  it('reads the run from <experimentId>/<runId>/artifacts/...', () => {
    expect(ownerOf('27/2ab58616969b4e33bc01cef34a431a39/artifacts/dir/a.txt')).toEqual({ experimentId: '27', runId: '2ab58616969b4e33bc01cef34a431a39', loggedModelId: null });
  });

  it('reads the logged model from <experimentId>/models/<modelId>/artifacts/...', () => {
    expect(ownerOf('2/models/m-d437d0113277442685d484d0113cbe75/artifacts/MLmodel')).toEqual({ experimentId: '2', runId: null, loggedModelId: 'm-d437d0113277442685d484d0113cbe75' });
  });

  it('gives only the experiment for other layouts, and nothing when the first segment is not an experiment id', () => {
    expect(ownerOf('5/notes.txt')).toEqual({ experimentId: '5', runId: null, loggedModelId: null });
    expect(ownerOf('5/models/m-1/MLmodel')).toEqual({ experimentId: '5', runId: null, loggedModelId: null });
    expect(ownerOf('scratch/a/artifacts/b')).toEqual({ experimentId: null, runId: null, loggedModelId: null });
  });

  it('makes paths canonical: no empty or "." segments, no trailing slash', () => {
    expect(canonicalArtifactPath('1/r/artifacts/')).toBe('1/r/artifacts');
    expect(canonicalArtifactPath('1//r/./artifacts/a.txt')).toBe('1/r/artifacts/a.txt');
    expect(canonicalArtifactPath('')).toBe('');
  });

  it('refuses what MLflow refuses: "..", absolute paths, backslashes, drive letters, "#", control characters', () => {
    for (const bad of ['../etc/passwd', '1/r/../../x', '/etc/passwd', 'a\\b', 'C:/x', 'a#b', 'a\u0000b']) {
      let error: unknown;
      try {
        canonicalArtifactPath(bad);
      } catch (e) {
        error = e;
      }
      expect(isMlstreamError(error, 'INVALID_REQUEST'), bad).toBe(true);
    }
    expect(canonicalArtifactPath('a..b/..c')).toBe('a..b/..c');
  });
});
