import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { PROJECTION_MONITOR, type ProjectionMonitor } from '@app/projections';
import { ProjectionNotFoundError } from '@app/read-store';

/** How long a query with `?consistentWith=` waits for its read model before it answers 503. */
export const CONSISTENCY_WAIT_MS = 2_000;
export const RETRY_AFTER_SECONDS = 1;

/** A read model has not reached the position a query must see (yet). */
export class NotCaughtUpError extends Error {
  constructor(
    readonly readModel: string,
    readonly position: bigint,
    readonly reachedPosition: string | null,
    readonly code = 'PROJECTION.NOT_CAUGHT_UP',
  ) {
    super(`${readModel} has not reached position ${position} yet (it is at ${reachedPosition ?? 'the start'}); retry shortly`);
  }
}

/**
 * The OpenAPI entry of `?consistentWith=`, by what the query waits for: its read model (Consistency)
 * or, for a stream folded on request, the log itself (LogConsistency).
 */
export function ApiConsistentWith(waitsFor: 'read model' | 'log') {
  const until = waitsFor === 'log' ? 'the log has it' : 'the read model has seen it';
  return ApiQuery({ name: 'consistentWith', required: false, description: `a position a command answered: wait briefly until ${until}, else 503` });
}

/** `?consistentWith=<position>`: waits briefly until the projection has seen the log up to the position. */
@Injectable()
export class Consistency {
  constructor(@Inject(PROJECTION_MONITOR) private readonly monitor: ProjectionMonitor) {}

  async require(projection: string, position: bigint | undefined): Promise<void> {
    if (position === undefined) return;
    if (await this.monitor.waitFor(projection, position, CONSISTENCY_WAIT_MS)) return;
    const status = (await this.monitor.status()).find((s) => s.name === projection);
    throw new NotCaughtUpError(projection, position, status?.checkpoint ?? null);
  }
}

/**
 * `?consistentWith=<position>` for queries that read the log itself (a stream folded on request):
 * they are consistent once the log holds the position, which it does at once unless a replica lags.
 */
@Injectable()
export class LogConsistency {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async require(position: bigint | undefined): Promise<void> {
    if (position === undefined) return;
    const deadline = Date.now() + CONSISTENCY_WAIT_MS;
    for (;;) {
      const head = await this.store.headPosition();
      if (head !== undefined && head >= position) return;
      if (Date.now() >= deadline) throw new NotCaughtUpError('event-log', position, head?.toString() ?? null, 'LOG.NOT_CAUGHT_UP');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** 503 + Retry-After as problem+json, for read models that are behind or not built yet. Other errors go to the global filter. */
@Catch(NotCaughtUpError, ProjectionNotFoundError)
export class ReadModelUnavailableFilter implements ExceptionFilter {
  catch(error: NotCaughtUpError | ProjectionNotFoundError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body =
      error instanceof NotCaughtUpError
        ? {
            code: error.code,
            detail: error.message,
            readModel: error.readModel,
            position: error.position.toString(),
            reachedPosition: error.reachedPosition,
          }
        : { code: 'PROJECTION.NOT_READY', detail: `${error.projection} is not built yet; retry shortly`, readModel: error.projection };
    const problem = { type: `urn:samverkan:problem:${body.code}`, title: 'Service Unavailable', status: 503, ...body, instance: request.url };
    void reply
      .status(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .header('content-type', 'application/problem+json')
      .send(JSON.stringify(problem));
  }
}
