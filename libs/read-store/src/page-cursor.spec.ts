import { describe, expect, it } from '@jest/globals';
import { type CursorKind, decodeCursor, encodeCursor } from './page-cursor.js';
import { LARGEST_POSITION } from './read-store.port.js';

const REGISTER: CursorKind = { query: 'incident-register', sortValue: 'utc-instant' };
const LOG: CursorKind = { query: 'decision-log', sortValue: 'position' };
const BY_ID: CursorKind = { query: 'by-id', sortValue: null };
const BY_COUNT: CursorKind = { query: 'by-count', sortValue: 'number' };

/** Cursor text as a client could make it by hand. */
const textOf = (parts: unknown) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');

describe('page cursors', () => {
  it('give back the cursor they were made from, for every kind of sort value', () => {
    const cursors: Array<[CursorKind, { value: string | number | bigint | null; id: string }]> = [
      [REGISTER, { value: '2024-05-10T20:15:00.000Z', id: 'aaaaaaaa-0000-4000-8000-000000000001' }],
      [LOG, { value: 42n, id: 'd-1' }],
      [LOG, { value: LARGEST_POSITION, id: 'd-2' }],
      [BY_ID, { value: null, id: 'x' }],
      [BY_COUNT, { value: 3.5, id: 'y' }],
    ];
    for (const [kind, cursor] of cursors) expect(decodeCursor(encodeCursor(kind, cursor), kind)).toEqual(cursor);
  });

  it('refuse a cursor of another query, even one whose sort value has the same type', () => {
    const logCursor = encodeCursor(LOG, { value: 7n, id: 'd-1' });
    expect(decodeCursor(logCursor, { query: 'another-log', sortValue: 'position' })).toBeUndefined();
    expect(decodeCursor(logCursor, REGISTER)).toBeUndefined();
    // Before cursors named their query, this one of the log decoded as a register cursor ("7" is a string).
    expect(decodeCursor(textOf(['7', 'd-1']), { query: 'incident-register', sortValue: 'string' })).toBeUndefined();
  });

  it('refuse the format of before cursors named their query', () => {
    expect(decodeCursor(textOf(['2024-05-10T20:15:00.000Z', 'a']), REGISTER)).toBeUndefined();
    expect(decodeCursor(textOf(['42', 'd-1']), LOG)).toBeUndefined();
  });

  it('refuse a position the stores cannot hold', () => {
    expect(decodeCursor(textOf(['decision-log', (LARGEST_POSITION + 1n).toString(), 'd-1']), LOG)).toBeUndefined();
    expect(decodeCursor(textOf(['decision-log', '99999999999999999999', 'd-1']), LOG)).toBeUndefined();
    expect(decodeCursor(textOf(['decision-log', '-1', 'd-1']), LOG)).toBeUndefined();
    expect(decodeCursor(textOf(['decision-log', 42, 'd-1']), LOG)).toBeUndefined();
  });

  it('take only the canonical UTC form of an instant, the one the register sorts on', () => {
    for (const value of [
      '2024-05-10T20:15:00Z',
      '2024-05-10T22:15:00.000+02:00',
      '2024-02-30T10:00:00.000Z',
      '2024-05-10T24:00:00.000Z',
      '2024-05-10 20:15:00.000Z',
      'morgon',
      1715372100000,
    ]) {
      expect(decodeCursor(textOf(['incident-register', value, 'a']), REGISTER)).toBeUndefined();
    }
  });

  it('refuse text that is not a cursor at all', () => {
    const raw = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
    for (const text of ['', '!!', 'x'.repeat(2049), raw('[1,'), textOf({ value: null, id: 'a' }), textOf(['by-id', null, '']), textOf(['by-id', null, 7])]) {
      expect(decodeCursor(text, BY_ID)).toBeUndefined();
    }
    // JSON.parse reads 1e400 as Infinity, which no stored number is.
    expect(decodeCursor(raw('["by-count",1e400,"a"]'), BY_COUNT)).toBeUndefined();
  });
});
