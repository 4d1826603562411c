import type { Stage } from '@mlstream/kit';

/**
 * Allowed stage moves (anything else is INVALID_TRANSITION):
 *
 *   from \ to     DEVELOPMENT  STAGING  PRODUCTION  ARCHIVED
 *   DEVELOPMENT        -          yes       yes        yes
 *   STAGING           yes          -        yes        yes
 *   PRODUCTION         no         yes        -         yes
 *   ARCHIVED           no          no       no          -
 *
 * - Forward: DEVELOPMENT → STAGING → PRODUCTION, and promotion may skip STAGING.
 * - Back one step only: PRODUCTION → STAGING is a rollback that keeps the
 *   version testable; STAGING → DEVELOPMENT sends it back for rework. A
 *   Production version is never silently relabelled as in development.
 * - Anything may be archived; ARCHIVED is final (register the artifact again
 *   to revive it), so a version's stage history never loops.
 * - The same stage again is rejected rather than ignored, so a CI job that
 *   thinks it promoted something learns that it did not.
 */
export const allowedTransitions: Readonly<Record<Stage, readonly Stage[]>> = {
  DEVELOPMENT: ['STAGING', 'PRODUCTION', 'ARCHIVED'],
  STAGING: ['DEVELOPMENT', 'PRODUCTION', 'ARCHIVED'],
  PRODUCTION: ['STAGING', 'ARCHIVED'],
  ARCHIVED: [],
};

export const canTransition = (from: Stage, to: Stage): boolean => allowedTransitions[from].includes(to);
