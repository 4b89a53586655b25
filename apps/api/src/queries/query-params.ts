import type { FieldProblem } from '@app/domain';
import { isIsoDate, startOfDay, addDays, SUPPORTED_YEARS } from '@app/domain';
import { type CursorKind, decodeCursor, LARGEST_POSITION, type PageCursor, storablePosition } from '@app/read-store';
import { isRealInstant, isSlug, lowerCasedUuid, SLUG, SLUG_MAX_LENGTH } from '../http/dto-rules.js';
import { RequestValidationError } from '../http/problem-details.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/**
 * Reads the query string of a GET strictly: an unknown parameter, a repeated one or a bad value is a
 * problem naming it, and all problems are reported at once (400) by `done()`, those of the path's
 * parameters (`pathSlug`, `pathDate`, `pathUuid`, `check`) too.
 */
export class QueryParams {
  private readonly problems: FieldProblem[] = [];

  constructor(
    private readonly query: Record<string, unknown>,
    allowed: readonly string[],
  ) {
    for (const name of Object.keys(query)) if (!allowed.includes(name)) this.problems.push({ field: name, message: 'is not a parameter of this query' });
  }

  text(name: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
    const value = this.query[name];
    if (value === undefined) {
      if (options.required) this.problem(name, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') return this.problem(name, 'must be given once');
    if (value === '') return this.problem(name, 'must not be empty');
    if (value.length > (options.maxLength ?? 200)) return this.problem(name, `must be at most ${options.maxLength ?? 200} characters`);
    return value;
  }

  slug(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.text(name, { ...options, maxLength: SLUG_MAX_LENGTH });
    if (value === undefined) return undefined;
    return SLUG.test(value) ? value : this.problem(name, 'must be a lower-case slug such as morby-centrum');
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    return (values as readonly string[]).includes(value) ? (value as T) : this.problem(name, `must be one of ${values.join(', ')}`);
  }

  /**
   * An ISO 8601 instant with offset, or a date `YYYY-MM-DD` in the reporting time zone: the start of
   * that day (`start`) or the start of the next one (`end`, so the whole day is included). As UTC ISO text.
   */
  instantOrDate(name: string, edge: 'start' | 'end', timeZone: string): string | undefined {
    const text = this.text(name, { maxLength: 40 });
    if (text === undefined) return undefined;
    // An unencoded '+' of an offset arrives as a space: take it as the '+' it was.
    const value = text.replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:\d{2})$/, '$1+$2');
    if (isIsoDate(value)) return startOfDay(edge === 'start' ? value : addDays(value, 1), timeZone).toISOString();
    if (isRealInstant(value)) return new Date(value).toISOString();
    return this.problem(name, `must be a date YYYY-MM-DD or an ISO 8601 date-time with an offset, such as 2024-05-10T22:15:00+02:00, in the ${SUPPORTED_YEARS}`);
  }

  limit(fallback = DEFAULT_LIMIT): number {
    const value = this.text('limit', { maxLength: 10 });
    if (value === undefined) return fallback;
    const limit = Number(value);
    if (!/^\d+$/.test(value) || limit < 1 || limit > MAX_LIMIT) return this.problem('limit', `must be a whole number from 1 to ${MAX_LIMIT}`) ?? fallback;
    return limit;
  }

  /** A stream revision (decimal digits), at most LARGEST_POSITION: the stores cannot take a larger one. */
  revision(name: string): bigint | undefined {
    const value = this.text(name, { maxLength: 20 });
    if (value === undefined) return undefined;
    return storablePosition(value) ?? this.problem(name, `must be a stream revision: decimal digits, at most ${LARGEST_POSITION}`);
  }

  /** A global log position (decimal digits), as `?consistentWith=` carries it; at most LARGEST_POSITION. */
  position(name: string): bigint | undefined {
    const value = this.text(name, { maxLength: 20 });
    if (value === undefined) return undefined;
    return storablePosition(value) ?? this.problem(name, `must be a log position as a command answered it: decimal digits, at most ${LARGEST_POSITION}`);
  }

  /** A date `YYYY-MM-DD` in the supported years. */
  date(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.text(name, { ...options, maxLength: 10 });
    if (value === undefined) return undefined;
    return this.pathDate(name, value);
  }

  /** An id that is a UUID, lower-cased as every UUID at the edge (see lowerCasedUuid). */
  uuid(name: string): string | undefined {
    const value = this.text(name, { maxLength: 36 });
    if (value === undefined) return undefined;
    return lowerCasedUuid(value) ?? this.problem(name, 'must be a UUID');
  }

  /** An ISO 8601 instant with an offset, as a body's IsInstant field takes it. */
  instant(name: string): string | undefined {
    const value = this.text(name, { maxLength: 40 });
    if (value === undefined) return undefined;
    return isRealInstant(value) ? value : this.problem(name, `must be an ISO 8601 date-time with an offset, such as 2024-05-10T22:15:00+02:00, in the ${SUPPORTED_YEARS}`);
  }

  /** A slug parameter of the path, such as `{municipality}`. */
  pathSlug(name: string, value: string, example: string): string | undefined {
    return isSlug(value) ? value : this.problem(name, `must be a lower-case slug of at most ${SLUG_MAX_LENGTH} characters, such as ${example}`);
  }

  /** A date parameter of the path, such as `{periodStart}`: `YYYY-MM-DD` in the supported years. */
  pathDate(name: string, value: string): string | undefined {
    return isIsoDate(value) ? value : this.problem(name, `must be a date YYYY-MM-DD in the ${SUPPORTED_YEARS}`);
  }

  /** A UUID parameter of the path, such as `{id}`: lower-cased (see lowerCasedUuid). */
  pathUuid(name: string, value: string): string | undefined {
    return lowerCasedUuid(value) ?? this.problem(name, 'must be a UUID');
  }

  cursor(kind: CursorKind): PageCursor | undefined {
    const value = this.text('cursor', { maxLength: 2048 });
    if (value === undefined) return undefined;
    return decodeCursor(value, kind) ?? this.problem('cursor', 'is not a cursor of this query; use nextCursor of the previous page as it was');
  }

  /** A check across parameters, or of a parameter of the path. */
  check(ok: boolean, name: string, message: string): void {
    if (!ok) this.problem(name, message);
  }

  done(): void {
    if (this.problems.length > 0) throw new RequestValidationError(this.problems);
  }

  private problem(field: string, message: string): undefined {
    if (!this.problems.some((p) => p.field === field)) this.problems.push({ field, message });
    return undefined;
  }
}
