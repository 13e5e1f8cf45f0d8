import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * `Authorization: Bearer <token>`, compared in constant time: both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of what was sent.
 */
export function bearerAuth(token: string) {
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const sent = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return;
    return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
