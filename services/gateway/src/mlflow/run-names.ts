import { createHash } from 'node:crypto';

const adjectives = ['able', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'fair', 'gentle', 'glad', 'keen', 'kind', 'lively', 'lucky', 'merry', 'neat', 'nimble', 'proud', 'quick', 'quiet', 'sharp', 'shy', 'swift', 'tidy', 'vast', 'warm', 'wise', 'witty', 'zesty'];
const nouns = ['ant', 'bat', 'bear', 'bee', 'cat', 'crab', 'crow', 'deer', 'dove', 'eel', 'elk', 'finch', 'fox', 'frog', 'goat', 'hare', 'hawk', 'lark', 'lynx', 'mole', 'moth', 'mouse', 'newt', 'owl', 'seal', 'shrew', 'snail', 'swan', 'toad', 'wolf'];

/**
 * The name MLflow's server gives a run created without one
 * (`adjective-animal-123`), derived from the run id so a retried create
 * names the run the same way.
 */
export function generatedRunName(runId: string): string {
  const digest = createHash('sha256').update(runId, 'utf8').digest();
  return `${adjectives[digest[0]! % adjectives.length]}-${nouns[digest[1]! % nouns.length]}-${digest.readUInt16BE(2) % 1000}`;
}
