import type { Stage } from '@mlstream/kit';

/**
 * Allowed stage moves. Promotion may skip STAGING; PRODUCTION may be rolled
 * back to STAGING; anything may be archived; ARCHIVED is final (register the
 * artifact again to revive it, so the history stays linear).
 */
export const allowedTransitions: Record<Stage, readonly Stage[]> = {
  DEVELOPMENT: ['STAGING', 'PRODUCTION', 'ARCHIVED'],
  STAGING: ['DEVELOPMENT', 'PRODUCTION', 'ARCHIVED'],
  PRODUCTION: ['STAGING', 'ARCHIVED'],
  ARCHIVED: [],
};

export const canTransition = (from: Stage, to: Stage): boolean => allowedTransitions[from].includes(to);
