/** `If-Match` named a revision the stream is no longer (or not) at: HTTP 412. */
export class PreconditionFailedError extends Error {
  readonly code = 'PRECONDITION_FAILED';
  constructor(
    readonly stream: string,
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(`${stream} is at revision ${actual === undefined ? 'none (no such stream)' : actual}, not ${expected}`);
  }
}

/** The Idempotency-Key was used before for another request: HTTP 422. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY.REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with another request`);
  }
}

/** Concurrent writers kept moving the stream on; the client may retry. HTTP 409. */
export class ConcurrencyConflictError extends Error {
  readonly code = 'CONCURRENCY.CONFLICT';
  constructor(readonly stream: string) {
    super(`${stream} changed concurrently too often; retry the command`);
  }
}
