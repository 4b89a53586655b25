import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import type { ValidatorOptions } from 'class-validator';
import type { FieldProblem } from '@app/domain';
import { RequestValidationError } from './problem-details.js';
import { passesEveryRule } from './validation-fast-path.js';

/** Every failing field as a path (`location.lat`, `results[2].value`) with all its messages. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not a field of this request' : message.replace(/^\S+ /, ''),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Names of Object.prototype members (`constructor`, `toString`, `hasOwnProperty`, `__proto__`, …), and `prototype`. */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Keys of a raw body that the whitelist never sees: the ValidationPipe deletes `__proto__`,
 * `prototype` and `constructor` before it transforms, and class-transformer skips the other
 * Object.prototype names (they resolve to functions on the instance). A body with `"toString": …`
 * would pass as if the key were not there. No request has such a field, so each is refused by name.
 */
export function inheritedNameProblems(value: unknown): FieldProblem[] {
  return walkBody(value).problems;
}

interface BodyWalk {
  problems: FieldProblem[];
  /** Only plain objects and gapless arrays, as JSON.parse makes them: nothing for the pipe to strip or close. */
  plainJson: boolean;
}

function walkBody(value: unknown): BodyWalk {
  const walk: BodyWalk = { problems: [], plainJson: true };
  collectInheritedNames(value, [], walk);
  return walk;
}

/** Walks every body, so the path is kept as a stack and written out only for a key that is refused. */
function collectInheritedNames(value: unknown, path: Array<string | number>, walk: BodyWalk): void {
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) walk.plainJson = false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) walk.plainJson = false;
      path.push(i);
      collectInheritedNames(value[i], path, walk);
      path.pop();
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Object.getPrototypeOf(value) !== Object.prototype) walk.plainJson = false;
  for (const key of Object.keys(value)) {
    path.push(key);
    if (INHERITED_NAMES.has(key)) walk.problems.push({ field: fieldPath(path), message: 'is not a field of this request' });
    else collectInheritedNames((value as Record<string, unknown>)[key], path, walk);
    path.pop();
  }
}

/** `location.lat`, `results[2].value`. */
function fieldPath(path: Array<string | number>): string {
  return path.reduce<string>((field, part) => (typeof part === 'number' ? `${field}[${part}]` : field ? `${field}.${part}` : part), '');
}

/**
 * The fields class-transformer fails on outright (it throws on `"indicator": [null]`, reading the
 * discriminator of each item), found by transforming each field alone, so such a body is a 400
 * naming the field rather than a 500.
 */
function unreadableFields(metatype: new (...args: never[]) => unknown, value: unknown): FieldProblem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).flatMap((field) => {
    try {
      plainToInstance(metatype, { [field]: (value as Record<string, unknown>)[field] });
      return [];
    } catch {
      return [{ field, message: 'must be an object of the shape this field takes' }];
    }
  });
}

/** The ValidationPipe, plus the keys it cannot see (see inheritedNameProblems), named with the rest. */
class StrictValidationPipe extends ValidationPipe {
  /**
   * Bodies the walk below found to be plain JSON without an inherited name: the pipe's own passes that
   * delete `__proto__`/`prototype`/`constructor` keys and close array gaps would change nothing in
   * them, so they are skipped (each is a second walk over the body).
   */
  private readonly plainBodies = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const walk = metadata.type === 'custom' ? undefined : walkBody(value);
    const inherited = walk?.problems ?? [];
    if (walk?.plainJson && inherited.length === 0 && value !== null && typeof value === 'object') this.plainBodies.add(value);
    let transformed: unknown;
    try {
      transformed = await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof RequestValidationError) {
        if (inherited.length > 0) throw new RequestValidationError([...error.errors, ...inherited]);
        throw error;
      }
      const unreadable = metadata.type === 'custom' || !metadata.metatype ? [] : unreadableFields(metadata.metatype, value);
      if (unreadable.length > 0) throw new RequestValidationError([...unreadable, ...inherited]);
      throw error;
    }
    if (inherited.length > 0) throw new RequestValidationError(inherited);
    return transformed;
  }

  protected override stripProtoKeys(value: unknown): void {
    if (!this.isPlainBody(value)) super.stripProtoKeys(value);
  }

  protected override closeArrayGaps(value: unknown): void {
    if (!this.isPlainBody(value)) super.closeArrayGaps(value);
  }

  private isPlainBody(value: unknown): boolean {
    return value !== null && typeof value === 'object' && this.plainBodies.has(value);
  }

  /** class-validator only when some rule may fail: it alone writes the errors (see validation-fast-path.ts). */
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    return passesEveryRule(object, options) ? [] : super.validate(object, options);
  }
}

/** Strict input: unknown fields are refused, nothing is coerced from strings. */
export const validationPipe = new StrictValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  // One message per field: the first rule it breaks.
  stopAtFirstError: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
});
