import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { FieldProblem } from '@app/domain';
import { lowerCasedUuid } from './dto-rules.js';
import { RequestValidationError } from './problem-details.js';

/** A path parameter that is not a UUID, named (`id`); none when it is one. */
export function pathUuidProblems(name: string, value: unknown): FieldProblem[] {
  return lowerCasedUuid(value) === undefined ? [{ field: name, message: 'must be a UUID' }] : [];
}

/**
 * `:id` of a command's path: the UUID lower-cased (see lowerCasedUuid), or a 400 naming it.
 * (A query checks its `:id` with its query string instead, so that one 400 names both: QueryParams.pathUuid.
 * A command's is checked with its headers and body first: CommandInputGuard.)
 */
export const uuidPathPipe: PipeTransform<unknown, string> = {
  transform(value, metadata: ArgumentMetadata) {
    const id = lowerCasedUuid(value);
    if (id === undefined) throw new RequestValidationError(pathUuidProblems(metadata.data ?? 'id', value));
    return id;
  },
};
