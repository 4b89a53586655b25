import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldProblem } from '@app/domain';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, PreconditionFailedError } from '@app/application';

/** A request whose fields failed validation; every field is named. */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldProblem[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

const DOMAIN_STATUS = { invalid: 400, 'not-found': 404, 'unknown-reference': 422, conflict: 409 } as const;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.MALFORMED',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.BODY_TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/** Errors raised by Fastify before a request reaches a controller (body parsing and the like). */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST.MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST.EMPTY_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST.BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST.INVALID_CONTENT_LENGTH',
};

function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: `urn:samverkan:problem:${code}`, title: TITLES[status] ?? 'Error', status, code, detail, ...extensions };
}

const logger = new Logger('Problems');

/** Turns any error into an RFC 9457 problem. Bad input is never a 500; only our own faults are. */
export function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError) {
    return problem(400, 'REQUEST.INVALID', error.message, { errors: error.errors });
  }
  if (error instanceof DomainError) {
    return problem(DOMAIN_STATUS[error.kind], error.code, error.message, error.details);
  }
  if (error instanceof PreconditionFailedError) {
    return problem(412, error.code, error.message, {
      expectedRevision: error.expected.toString(),
      currentRevision: error.actual === undefined ? null : error.actual.toString(),
    });
  }
  if (error instanceof IdempotencyKeyReusedError) return problem(422, error.code, error.message, { idempotencyKey: error.key });
  if (error instanceof ConcurrencyConflictError) return problem(409, error.code, error.message);
  if (error instanceof HttpException) {
    // Nest raises these for what never reached a controller: unknown routes and unparsable bodies.
    const status = error.getStatus();
    return problem(status, HTTP_CODES[status] ?? `HTTP.${status}`, error.message);
  }
  const fastifyCode = (error as { code?: string })?.code;
  const fastifyStatus = (error as { statusCode?: number })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const code = (fastifyCode && FASTIFY_CODES[fastifyCode]) ?? `HTTP.${fastifyStatus}`;
    return problem(fastifyStatus, code, (error as Error).message);
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'INTERNAL', 'an unexpected error occurred; it has been logged');
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: unknown): void {
  const body = toProblem(error);
  body.instance = request.url;
  if (!reply.sent) void reply.status(body.status).header('content-type', 'application/problem+json').send(JSON.stringify(body));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), error);
  }
}
