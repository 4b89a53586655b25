import type { EventMetadata, RecordedEvent } from './event-store.port.js';

/**
 * A recorded event read from storage whose metadata is found on first use. Most readers (folds, most
 * projections) never look at the metadata: parsing it was a third of the cost of reading an event,
 * and reading it at all, for a page of the whole log, about 0.4 µs of each event. So the event has
 * either its metadata's JSON as stored, parsed when first asked for (the events of one stream), or
 * a `MetadataByPosition` that reads it by the event's position (the pages of the whole log).
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

  constructor(id: string, type: string, stream: string, revision: bigint, position: bigint, data: unknown, metadata: string | MetadataByPosition, recordedAt: Date) {
    this.id = id;
    this.type = type;
    this.stream = stream;
    this.revision = revision;
    this.position = position;
    this.data = data;
    if (typeof metadata === 'string') {
      // Not a private field: the bundler compiles those to a WeakMap, which costs more than the parse saved.
      Object.defineProperty(this, STORED_METADATA, { value: metadata, writable: true });
      // One shared descriptor, so every instance keeps one hidden class.
      Object.defineProperty(this, 'metadata', LAZY_METADATA);
    } else {
      Object.defineProperty(this, 'metadata', metadata.descriptor);
    }
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
    keep(this, value);
  },
  enumerable: true,
  configurable: true,
};

/** The metadata of a store's events read from its log, read by position on first use and then kept as a plain property. */
export class MetadataByPosition {
  /** One descriptor for all the store's events, so that they keep one hidden class. */
  readonly descriptor: PropertyDescriptor;

  constructor(read: (position: bigint) => EventMetadata) {
    this.descriptor = {
      get(this: StoredEvent): EventMetadata {
        const metadata = read(this.position);
        keep(this, metadata);
        return metadata;
      },
      set(this: StoredEvent, value: EventMetadata): void {
        keep(this, value);
      },
      enumerable: true,
      configurable: true,
    };
  }
}

function keep(event: RecordedEvent, metadata: EventMetadata): void {
  Object.defineProperty(event, 'metadata', { value: metadata, writable: true, enumerable: true, configurable: true });
}
