import { describe, expect, it } from '@jest/globals';
import { EventDetailsUnavailableError } from './event-store.port.js';
import { LeanEvents, MetadataByPosition, StoredEvent } from './stored-event.js';

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

describe('StoredEvent with its metadata read by position', () => {
  const metadata = { actor: { id: 'a', role: 'r', organisation: 'o' }, command: 'C', correlationId: 'c', causationId: 'd' };
  const plain = { id: 'e', type: 'T', stream: 's-1', revision: 2n, position: 7n, data: { n: 1 }, metadata, recordedAt: new Date(1000) };
  const reads: bigint[] = [];
  const byPosition = new MetadataByPosition((position) => {
    reads.push(position);
    return { ...metadata };
  });
  const logged = () => new StoredEvent('e', 'T', 's-1', 2n, 7n, { n: 1 }, byPosition, new Date(1000));

  it('looks like the plain recorded event it stands for', () => {
    expect(logged()).toEqual(plain);
    expect(Object.keys(logged())).toEqual(Object.keys(plain));
    expect({ ...logged() }).toEqual(plain);
    expect(structuredClone(logged())).toEqual(plain);
  });

  it('reads the metadata by its position once, on first use, and keeps it', () => {
    reads.length = 0;
    const event = logged();
    expect(reads).toEqual([]);
    const first = event.metadata;
    expect(event.metadata).toBe(first);
    expect(reads).toEqual([7n]);
    expect(Object.keys(event)).toEqual(Object.keys(plain));
  });

  it('takes an assigned metadata without reading it', () => {
    reads.length = 0;
    const event = logged();
    const other = { ...metadata, command: 'Other' };
    event.metadata = other;
    expect(event.metadata).toBe(other);
    expect(reads).toEqual([]);
  });
});

describe('LeanEvents', () => {
  const metadata = { actor: { id: 'a', role: 'r', organisation: 'o' }, command: 'C', correlationId: 'c', causationId: 'd' };
  const plain = { id: 'e', type: 'T', stream: 's-1', revision: 2n, position: 7n, data: { n: 1 }, metadata, recordedAt: new Date(1000) };
  const reads: bigint[] = [];
  const { Event } = new LeanEvents((position) => {
    reads.push(position);
    return { id: 'e', stream: 's-1', metadata: { ...metadata }, recordedAt: new Date(1000) };
  });
  const lean = () => new Event('T', 2n, 7n, { n: 1 });

  it('reads the rest by position once, when a field of it is first asked for, and keeps it', () => {
    reads.length = 0;
    const event = lean();
    expect(event.type).toBe('T');
    expect(event.data).toEqual({ n: 1 });
    expect(reads).toEqual([]);
    expect(event.stream).toBe('s-1');
    const first = event.metadata;
    expect(event.id).toBe('e');
    expect(event.recordedAt).toEqual(new Date(1000));
    expect(event.metadata).toBe(first);
    expect(reads).toEqual([7n]);
  });

  it('once its rest is read, looks like the plain recorded event it stands for', () => {
    const event = lean();
    void event.id;
    expect(event).toEqual(plain);
    expect({ ...event }).toEqual(plain);
    expect(structuredClone(event)).toEqual(plain);
  });

  it('before, holds as its own only what the page read', () => {
    expect(Object.keys(lean()).sort()).toEqual(['data', 'position', 'revision', 'type']);
  });

  it('takes an assigned field in place of the stored one, and keeps it when the rest is read', () => {
    reads.length = 0;
    const event = lean();
    const other = { ...metadata, command: 'Other' };
    event.metadata = other;
    expect(event.metadata).toBe(other);
    expect(reads).toEqual([]);
    expect(event.id).toBe('e');
    expect(event.metadata).toBe(other);
    expect(reads).toEqual([7n]);
  });
});

describe('an event whose details cannot be read on first use', () => {
  const failing = (position: bigint): never => {
    throw new Error(`SQLITE_IOERR: disk I/O error at ${position}`);
  };

  it('says that it is the store that failed, with the position, for the metadata read by position and for a lean page\'s rest', () => {
    const byPosition = new StoredEvent('e', 'T', 's-1', 2n, 7n, {}, new MetadataByPosition(failing), new Date(1000));
    const { Event } = new LeanEvents(failing);
    const lean = new Event('T', 2n, 9n, {});
    expect(() => byPosition.metadata).toThrow(EventDetailsUnavailableError);
    expect(() => lean.stream).toThrow(new EventDetailsUnavailableError(9n, new Error('SQLITE_IOERR: disk I/O error at 9')));
    expect(() => lean.id).toThrow(/position 9 could not be read: SQLITE_IOERR/);
  });
});
