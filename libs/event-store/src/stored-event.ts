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

/**
 * A recorded event read from the log (a page of `readAll`, a subscription) whose metadata is read
 * from the store on first use, by the event's position. Readers of the log (projections) seldom
 * look at it, and reading, keeping and collecting the metadata of every event cost more than the
 * rare look-up. Keeps no hidden state: the position tells the store which metadata to read.
 *
 * To callers it is a plain `RecordedEvent`, as `StoredEvent` is.
 */
export class LoggedEvent implements RecordedEvent {
  declare id: string;
  declare type: string;
  declare stream: string;
  declare revision: bigint;
  declare position: bigint;
  declare data: unknown;
  declare metadata: EventMetadata;
  declare recordedAt: Date;

  constructor(id: string, type: string, stream: string, revision: bigint, position: bigint, data: unknown, metadata: MetadataByPosition, recordedAt: Date) {
    this.id = id;
    this.type = type;
    this.stream = stream;
    this.revision = revision;
    this.position = position;
    this.data = data;
    Object.defineProperty(this, 'metadata', metadata.descriptor);
    this.recordedAt = recordedAt;
  }
}

/** The metadata of a store's logged events, read by position on first use and then kept as a plain property. */
export class MetadataByPosition {
  /** One descriptor for all the store's events, so that they keep one hidden class. */
  readonly descriptor: PropertyDescriptor;

  constructor(read: (position: bigint) => EventMetadata) {
    this.descriptor = {
      get(this: LoggedEvent): EventMetadata {
        const metadata = read(this.position);
        keep(this, metadata);
        return metadata;
      },
      set(this: LoggedEvent, value: EventMetadata): void {
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
