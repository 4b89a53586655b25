import type { EventMetadata, RecordedEvent } from './event-store.port.js';

/**
 * A recorded event read from storage whose metadata is parsed from its JSON on first use. Most
 * readers (folds, most projections) never look at the metadata, and parsing it was a third of the
 * cost of reading an event.
 *
 * To callers it is the plain `RecordedEvent` it always was: `metadata` is an own, enumerable
 * property (an accessor, so `toEqual`, spreading, `Object.keys` and `structuredClone` see it), in
 * the same place among the keys, and assigning it replaces it.
 */
export class StoredEvent implements RecordedEvent {
  // Declared, not defined: the constructor makes them in the order a plain recorded event has.
  declare id: string;
  declare type: string;
  declare stream: string;
  declare revision: bigint;
  declare position: bigint;
  declare data: unknown;
  declare metadata: EventMetadata;
  declare recordedAt: Date;

  constructor(id: string, type: string, stream: string, revision: bigint, position: bigint, data: unknown, metadataJson: string, recordedAt: Date) {
    this.id = id;
    this.type = type;
    this.stream = stream;
    this.revision = revision;
    this.position = position;
    this.data = data;
    // Not a private field: the bundler compiles those to a WeakMap, which costs more than the parse saved.
    Object.defineProperty(this, STORED_METADATA, { value: metadataJson, writable: true });
    // One shared descriptor, so every instance keeps one hidden class.
    Object.defineProperty(this, 'metadata', LAZY_METADATA);
    this.recordedAt = recordedAt;
  }
}

/** The metadata as stored, then as parsed: a non-enumerable own property, invisible to comparisons and copies. */
const STORED_METADATA = Symbol('stored metadata');

function metadataOf(event: StoredEvent): EventMetadata {
  const holder = event as unknown as { [STORED_METADATA]: string | EventMetadata };
  const stored = holder[STORED_METADATA];
  if (typeof stored !== 'string') return stored;
  const parsed = JSON.parse(stored) as EventMetadata;
  holder[STORED_METADATA] = parsed;
  return parsed;
}

const LAZY_METADATA: PropertyDescriptor = {
  get(this: StoredEvent): EventMetadata {
    return metadataOf(this);
  },
  set(this: StoredEvent, value: EventMetadata): void {
    Object.defineProperty(this, 'metadata', { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};
