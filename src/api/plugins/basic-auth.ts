import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface BasicCredentials {
  user: string;
  password: string;
}

/**
 * An onRequest hook asking for HTTP basic auth. The user and password are compared as SHA-256
 * digests with timingSafeEqual: equal lengths whatever was sent, so the time taken tells nothing
 * about either value, and both are always compared (no early exit on a wrong user).
 */
export function basicAuthHook(expected: BasicCredentials, realm: string) {
  const wantUser = digest(expected.user);
  const wantPassword = digest(expected.password);
  const challenge = `Basic realm="${realm}", charset="UTF-8"`;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const given = parseBasic(request.headers.authorization);
    const userOk = timingSafeEqual(digest(given?.user ?? ''), wantUser);
    const passwordOk = timingSafeEqual(digest(given?.password ?? ''), wantPassword);
    if (given && userOk && passwordOk) return;
    return reply.code(401).header('www-authenticate', challenge).send({ error: 'unauthorized' });
  };
}

/** `Basic base64(user:password)`; the password may hold colons, the user may not (RFC 7617). */
export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
