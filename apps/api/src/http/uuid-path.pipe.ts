import type { PipeTransform } from '@nestjs/common';
import { lowerCasedUuid } from './dto-rules.js';
import { RequestValidationError } from './problem-details.js';

/**
 * `:id` of a command's path: the UUID lower-cased (see lowerCasedUuid), or a 400 naming `id`.
 * (A query checks its `:id` with its query string instead, so that one 400 names both: QueryParams.pathUuid.)
 */
export const uuidPathPipe: PipeTransform<unknown, string> = {
  transform(value) {
    const id = lowerCasedUuid(value);
    if (id === undefined) throw new RequestValidationError([{ field: 'id', message: 'must be a UUID' }]);
    return id;
  },
};
