import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { type CursorKind, type DocumentPage, encodeCursor } from '@app/read-store';
import { DEFAULT_LIMIT, MAX_LIMIT } from './query-params.js';

/** The OpenAPI entries of a paged list's `cursor` and `limit` (read by QueryParams.cursor and .limit). */
export function ApiPaging() {
  return applyDecorators(
    ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' }),
    ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default ${DEFAULT_LIMIT}` }),
  );
}

/** A page as a list answers it: its items, and the cursor of the next page (null on the last). */
export function pageAnswer<T>(kind: CursorKind, page: DocumentPage<T>): { items: T[]; nextCursor: string | null } {
  return { items: page.items, nextCursor: page.next ? encodeCursor(kind, page.next) : null };
}
