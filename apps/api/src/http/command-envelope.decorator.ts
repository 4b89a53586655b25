import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { type CommandEnvelope, DEVELOPMENT_ACTOR, requestHash } from '@app/application';
import { RequestValidationError } from './problem-details.js';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `If-Match: "3"` → 3n. A weak or malformed tag is a 400 naming the header. */
function expectedRevision(request: FastifyRequest): bigint | undefined {
  const ifMatch = header(request, 'if-match');
  if (ifMatch === undefined) return undefined;
  const match = /^"(\d{1,19})"$/.exec(ifMatch.trim());
  if (!match) throw new RequestValidationError([{ field: 'If-Match', message: 'must be a stream revision in quotes, such as "0"' }]);
  return BigInt(match[1]);
}

function idempotency(request: FastifyRequest): CommandEnvelope['idempotency'] {
  const key = header(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new RequestValidationError([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  const path = request.url.split('?')[0];
  return { key, requestHash: requestHash(request.method, path, request.body ?? null) };
}

/**
 * The envelope of the command a request asks for: time, actor, correlation, If-Match and
 * Idempotency-Key. The actor headers (`X-Actor-Id`, `X-Actor-Role`, `X-Actor-Organisation`) are a
 * DEVELOPMENT stand-in until authentication exists; without them the development actor is recorded.
 */
export function envelopeOf(request: FastifyRequest): CommandEnvelope {
  const commandId = randomUUID();
  return {
    commandId,
    now: new Date(),
    actor: {
      id: header(request, 'x-actor-id') ?? DEVELOPMENT_ACTOR.id,
      role: header(request, 'x-actor-role') ?? DEVELOPMENT_ACTOR.role,
      organisation: header(request, 'x-actor-organisation') ?? DEVELOPMENT_ACTOR.organisation,
    },
    correlationId: header(request, 'x-correlation-id') ?? commandId,
    expectedRevision: expectedRevision(request),
    idempotency: idempotency(request),
  };
}

export const Envelope = createParamDecorator((_: unknown, context: ExecutionContext) =>
  envelopeOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
