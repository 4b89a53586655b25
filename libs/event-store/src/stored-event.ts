import { type EventMetadata, EventDetailsUnavailableError, type RecordedEvent } from './event-store.port.js';

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
    keep(this, 'metadata', value);
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
        const metadata = readFor(read, this.position);
        keep(this, 'metadata', metadata);
        return metadata;
      },
      set(this: StoredEvent, value: EventMetadata): void {
        keep(this, 'metadata', value);
      },
      enumerable: true,
      configurable: true,
    };
  }
}

/** What an event of a lean page of the log leaves out, read by its position when first asked for. */
export interface EventDetails {
  id: string;
  stream: string;
  metadata: EventMetadata;
  recordedAt: Date;
}

type LeanEventClass = new (type: string, revision: bigint, position: bigint, data: unknown) => RecordedEvent;

const DETAILS = ['id', 'stream', 'metadata', 'recordedAt'] as const;

/**
 * The events of a store's lean pages of the log (`ReadAllOptions.lean`): type, revision, position and
 * data as read with the page, and the rest (`EventDetails`) read by position, all four at once, when
 * one of them is first asked for, then kept as own properties of the event. The projector's readers
 * look at the rest for a few events in a hundred (the decision log, a failure's report); reading it
 * with every event of a page cost about a fifth of the page.
 *
 * The rest is found through getters on a class of the store's own, not through an accessor defined on
 * each event as `StoredEvent` has its metadata: defining a property on each event cost more than
 * leaving the id and stream out of the page saved (bench/README). So until an event's rest is read,
 * it is not among the event's own properties: a spread or a `structuredClone` does not copy it, and
 * `toEqual` does not compare it.
 */
export class LeanEvents {
  readonly Event: LeanEventClass;

  constructor(read: (position: bigint) => EventDetails) {
    /** Takes the rest into the event as own properties, keeping any of them assigned before. */
    const fill = (event: { position: bigint }): EventDetails => {
      const details = readFor(read, event.position);
      for (const field of DETAILS) {
        if (!Object.hasOwn(event, field)) keep(event, field, details[field]);
      }
      return event as unknown as EventDetails;
    };
    class LeanEvent {
      // Declared, not defined: the constructor makes the first four, and the rest are getters defined on
      // the prototype below; a defined field would be an own property of every event, hiding them.
      declare type: string;
      declare revision: bigint;
      declare position: bigint;
      declare data: unknown;
      declare id: string;
      declare stream: string;
      declare metadata: EventMetadata;
      declare recordedAt: Date;

      constructor(type: string, revision: bigint, position: bigint, data: unknown) {
        this.type = type;
        this.revision = revision;
        this.position = position;
        this.data = data;
      }
    }
    for (const field of DETAILS) {
      Object.defineProperty(LeanEvent.prototype, field, {
        get(this: LeanEvent) {
          return fill(this)[field];
        },
        set(this: LeanEvent, value: unknown) {
          keep(this, field, value);
        },
        configurable: true,
      });
    }
    this.Event = LeanEvent;
  }
}

/** What `read` gives for the position; its failure is the store's (EventDetailsUnavailableError). */
function readFor<T>(read: (position: bigint) => T, position: bigint): T {
  try {
    return read(position);
  } catch (error) {
    throw new EventDetailsUnavailableError(position, error);
  }
}

/** Makes the field a plain own property of the event, as a whole event has it. */
function keep(event: object, field: keyof EventDetails, value: unknown): void {
  Object.defineProperty(event, field, { value, writable: true, enumerable: true, configurable: true });
}
