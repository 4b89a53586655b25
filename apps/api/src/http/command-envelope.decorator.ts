import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { type CommandEnvelope, DEVELOPMENT_ACTOR, requestHash } from '@app/application';
import type { FieldProblem } from '@app/domain';
import { RequestValidationError } from './problem-details.js';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const REVISION_TAG = /^"(\d{1,19})"$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** A weak or malformed If-Match, and an Idempotency-Key out of its range: each a problem naming the header. */
export function envelopeHeaderProblems(request: FastifyRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined && !REVISION_TAG.test(ifMatch.trim())) {
    problems.push({ field: 'If-Match', message: 'must be a stream revision in quotes, such as "0"' });
  }
  const key = header(request, 'idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    problems.push({ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' });
  }
  return problems;
}

/** `If-Match: "3"` → 3n; checked by envelopeHeaderProblems first. */
function expectedRevision(request: FastifyRequest): bigint | undefined {
  const ifMatch = header(request, 'if-match');
  return ifMatch === undefined ? undefined : BigInt(REVISION_TAG.exec(ifMatch.trim())![1]);
}

function idempotency(request: FastifyRequest): CommandEnvelope['idempotency'] {
  const key = header(request, 'idempotency-key');
  if (key === undefined) return undefined;
  const path = request.url.split('?')[0];
  return { key, requestHash: requestHash(request.method, path, request.body ?? null) };
}

/**
 * The envelope of the command a request asks for: time, actor, correlation, If-Match and
 * Idempotency-Key. The actor headers (`X-Actor-Id`, `X-Actor-Role`, `X-Actor-Organisation`) are a
 * DEVELOPMENT stand-in until authentication exists; without them the development actor is recorded.
 */
export function envelopeOf(request: FastifyRequest): CommandEnvelope {
  const problems = envelopeHeaderProblems(request);
  if (problems.length > 0) throw new RequestValidationError(problems);
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

/** The factory behind @Envelope(): a parameter made by it marks a command route (see CommandInputGuard). */
export function envelopeOfContext(_: unknown, context: ExecutionContext): CommandEnvelope {
  return envelopeOf(context.switchToHttp().getRequest<FastifyRequest>());
}

export const Envelope = createParamDecorator(envelopeOfContext);
