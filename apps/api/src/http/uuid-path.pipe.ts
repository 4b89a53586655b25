import type { PipeTransform } from '@nestjs/common';
import { lowerCasedUuid } from './dto-rules.js';
import { RequestValidationError } from './problem-details.js';

/** `:id` of a path: the UUID lower-cased (see lowerCasedUuid), or a 400 naming `id`. */
export const uuidPathPipe: PipeTransform<unknown, string> = {
  transform(value) {
    const id = lowerCasedUuid(value);
    if (id === undefined) throw new RequestValidationError([{ field: 'id', message: 'must be a UUID' }]);
    return id;
  },
};
