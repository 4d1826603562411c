import type { FastifyReply, FastifyRequest } from 'fastify';
import { MlstreamError } from '@mlstream/kit';
import { credentialToken, hasScope, type KeyRing, type Principal, type Scope } from './keys.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one (health, docs) are public. */
    scope?: Scope;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/**
 * `onRequest` hook (the key comes as a Bearer token or as the password of
 * Basic auth, see credentialToken): runs before the body is read, so an unauthenticated
 * client never makes the gateway parse its payload. 401 for a missing or
 * unknown key, 403 for a known key without the route's scope.
 */
export const authenticate =
  (keys: KeyRing) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const scope = request.routeOptions.config.scope;
    if (!scope) return;
    const token = credentialToken(request.headers.authorization);
    const principal = token === undefined ? undefined : keys.verify(token);
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="mlstream"');
      throw new MlstreamError('UNAUTHENTICATED', token === undefined ? 'send the API key as "Authorization: Bearer <key>" (or as the password of Basic auth)' : 'the API key is not valid');
    }
    if (!hasScope(principal, scope)) {
      throw new MlstreamError('FORBIDDEN', `the API key "${principal.name}" lacks the scope "${scope}"`, { details: { requiredScope: scope } });
    }
    request.principal = principal;
  };

/** The authenticated principal of a route that has a scope. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new MlstreamError('UNAUTHENTICATED');
  return request.principal;
}
