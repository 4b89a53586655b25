import { describe, expect, it } from '@jest/globals';
import { StoredEvent } from './stored-event.js';

describe('StoredEvent', () => {
  const metadata = { actor: { id: 'a', role: 'r', organisation: 'o' }, command: 'C', correlationId: 'c', causationId: 'd' };
  const plain = { id: 'e', type: 'T', stream: 's-1', revision: 2n, position: 7n, data: { n: 1 }, metadata, recordedAt: new Date(1000) };
  const stored = () => new StoredEvent('e', 'T', 's-1', 2n, 7n, { n: 1 }, JSON.stringify(metadata), new Date(1000));

  it('looks like the plain recorded event it stands for', () => {
    const event = stored();
    expect(event).toEqual(plain);
    expect(Object.keys(event)).toEqual(Object.keys(plain));
    expect({ ...event }).toEqual(plain);
    expect(structuredClone(event)).toEqual(plain);
  });

  it('parses the metadata once and keeps the parsed object', () => {
    const event = stored();
    expect(event.metadata).toEqual(metadata);
    expect(event.metadata).toBe(event.metadata);
  });

  it('takes an assigned metadata in place of the stored one', () => {
    const event = stored();
    const other = { ...metadata, command: 'Other' };
    event.metadata = other;
    expect(event.metadata).toBe(other);
    expect(Object.keys(event)).toEqual(Object.keys(plain));
  });
});
