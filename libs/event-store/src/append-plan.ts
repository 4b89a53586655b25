import {
  type AppendResult,
  DuplicateEventIdError,
  type EventToAppend,
  type ExpectedRevision,
  expectedRevisionHolds,
  WrongExpectedRevisionError,
} from './event-store.port.js';

/** What an adapter must be able to look up to decide an append. */
export interface AppendLookup {
  /** Where an event id already stands in the log, if anywhere. */
  findEvent(id: string): { stream: string; revision: bigint; position: bigint } | undefined;
  /** The id and position of the event at a revision of a stream. */
  eventAt(stream: string, revision: bigint): { id: string; position: bigint } | undefined;
  /** The stream's current revision; undefined when it has no events. */
  streamRevision(stream: string): bigint | undefined;
}

export type AppendPlan = { kind: 'replay'; result: AppendResult } | { kind: 'write'; firstRevision: bigint };

/**
 * The one place that decides an append, shared by the adapters that keep the log themselves.
 * A repeat of an earlier append (same ids, same stream, same order) answers the first result and
 * writes nothing, whatever the stream looks like now; otherwise the expected revision must hold.
 */
export function planAppend(
  lookup: AppendLookup,
  stream: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): AppendPlan {
  if (events.length === 0) throw new Error('an append needs at least one event');
  const first = lookup.findEvent(events[0].id);
  if (first) {
    if (first.stream !== stream) throw new DuplicateEventIdError(events[0].id, stream);
    let position = first.position;
    for (let i = 1; i < events.length; i++) {
      const stored = lookup.eventAt(stream, first.revision + BigInt(i));
      if (!stored || stored.id !== events[i].id) throw new DuplicateEventIdError(events[i].id, stream);
      position = stored.position;
    }
    return { kind: 'replay', result: { nextExpectedRevision: first.revision + BigInt(events.length - 1), position } };
  }
  const current = lookup.streamRevision(stream);
  if (!expectedRevisionHolds(expected, current)) {
    throw new WrongExpectedRevisionError(stream, expected, current ?? 'no_stream');
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) throw new DuplicateEventIdError(event.id, stream);
    seen.add(event.id);
  }
  // An id of this append that stands elsewhere in the log is caught by the store's unique index on ids.
  return { kind: 'write', firstRevision: current === undefined ? 0n : current + 1n };
}
