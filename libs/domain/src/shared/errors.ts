/**
 * Typed domain errors. Deciders throw them; the HTTP edge maps each kind to one status and a
 * problem+json body with the stable `code`.
 */
export type DomainErrorKind =
  /** A field is invalid in a way only the domain can tell (400). */
  | 'invalid'
  /** The command names a thing that does not exist (404 for the target, 422 for a reference). */
  | 'not-found'
  | 'unknown-reference'
  /** A rule of the current state forbids the command (409). */
  | 'conflict';

export interface FieldProblem {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    /** Stable, e.g. `ACTION_PLAN.SIGNATURES_MISSING`. */
    readonly code: string,
    message: string,
    /** Extra facts for the problem body, e.g. `{ missingRoles: [...] }`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidCommandError extends DomainError {
  readonly kind = 'invalid';
  constructor(code: string, readonly problems: FieldProblem[]) {
    super(code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), { errors: problems });
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** A command refers to a thing (place, area, plan, …) that does not exist or is of another municipality. */
export class UnknownReferenceError extends DomainError {
  readonly kind = 'unknown-reference';
  constructor(code: string, message: string, readonly field: string, readonly value: string) {
    super(code, message, { field, value });
  }
}

export class IllegalStateError extends DomainError {
  readonly kind = 'conflict';
}
