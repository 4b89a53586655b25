import { describe, expect, it } from '@jest/globals';
import { deterministicUuid, generatedId, timeOrderedUuid } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('ids', () => {
  it('makes version-7 UUIDs that sort in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => timeOrderedUuid(1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the milliseconds in the first 48 bits', () => {
    const id = timeOrderedUuid(Date.parse('2030-01-01T00:00:00Z'));
    const ms = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(Date.parse('2030-01-01T00:00:00Z'));
  });

  it('never goes back when the clock does', () => {
    const later = timeOrderedUuid(2_000_000_000_000);
    const earlier = timeOrderedUuid(1_000_000_000_000);
    expect(earlier > later).toBe(true);
  });

  it('derives a generated id from the Idempotency-Key when there is one', () => {
    const idempotency = { key: 'k-1', requestHash: 'h' };
    expect(generatedId('incident', { idempotency })).toBe(deterministicUuid('incident', 'k-1'));
    expect(generatedId('incident', {})).toMatch(UUID_V7);
  });
});
