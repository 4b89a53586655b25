import { type FieldType, type FieldValue, type PageCursor, storablePosition } from './read-store.port.js';

/**
 * What the cursors of one query carry: the query's name, written into every cursor so that a cursor
 * of another query is refused, and the kind of its sort value: a field type, `utc-instant` (a string
 * as Date#toISOString writes it, such as 2024-05-10T20:15:00.000Z), or null when the query pages by
 * id alone.
 */
export interface CursorKind {
  readonly query: string;
  readonly sortValue: FieldType | 'utc-instant' | null;
}

/** Cursors at the HTTP edge: opaque base64url text of the query's name, the last item's sort value and its id. */
export function encodeCursor(kind: CursorKind, cursor: PageCursor): string {
  const value = typeof cursor.value === 'bigint' ? cursor.value.toString() : cursor.value;
  return Buffer.from(JSON.stringify([kind.query, value, cursor.id]), 'utf8').toString('base64url');
}

/**
 * The cursor, or undefined when the text is not a cursor of this kind: of another query, of the
 * format before cursors named their query, or with a sort value that is not of the kind.
 */
export function decodeCursor(text: string, kind: CursorKind): PageCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== kind.query) return undefined;
  const [, raw, id] = parsed as [string, unknown, unknown];
  if (typeof id !== 'string' || id === '') return undefined;
  const value = valueOf(raw, kind.sortValue);
  return value === undefined ? undefined : { value, id };
}

/** The shape of an instant as Date#toISOString writes it: the form a `utc-instant` sort field is stored in. */
export const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function valueOf(raw: unknown, kind: CursorKind['sortValue']): FieldValue | null | undefined {
  switch (kind) {
    case null:
      return raw === null ? null : undefined;
    case 'position':
      return typeof raw === 'string' ? storablePosition(raw) : undefined;
    case 'utc-instant':
      // The form the sort field is stored in, and only that: 2024-02-30… or an offset would compare as text.
      return typeof raw === 'string' && UTC_INSTANT.test(raw) && !Number.isNaN(Date.parse(raw)) && new Date(raw).toISOString() === raw ? raw : undefined;
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    case 'string':
    case 'boolean':
      return typeof raw === kind ? (raw as FieldValue) : undefined;
  }
}
