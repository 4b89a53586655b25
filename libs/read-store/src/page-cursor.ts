import type { FieldType, FieldValue, PageCursor } from './read-store.port.js';

/**
 * Cursors at the HTTP edge: opaque base64url text of the last item's sort value and id. A decoded
 * cursor is checked against the sort field's type, so a cursor of another query is refused.
 */
export function encodeCursor(cursor: PageCursor): string {
  const value = typeof cursor.value === 'bigint' ? cursor.value.toString() : cursor.value;
  return Buffer.from(JSON.stringify([value, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one for a sort field of this type (null: by id alone). */
export function decodeCursor(text: string, sortType: FieldType | null): PageCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string' || parsed[1] === '') return undefined;
  const [raw, id] = parsed as [unknown, string];
  const value = valueOf(raw, sortType);
  return value === undefined ? undefined : { value, id };
}

function valueOf(raw: unknown, type: FieldType | null): FieldValue | null | undefined {
  switch (type) {
    case null:
      return raw === null ? null : undefined;
    case 'position':
      return typeof raw === 'string' && /^\d{1,20}$/.test(raw) ? BigInt(raw) : undefined;
    case 'string':
    case 'number':
    case 'boolean':
      return typeof raw === type ? (raw as FieldValue) : undefined;
  }
}
