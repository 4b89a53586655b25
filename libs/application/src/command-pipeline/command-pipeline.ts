import { Inject, Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/domain';
import {
  EVENT_STORE,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@app/event-store';
import type { CommandEnvelope, CommandResult } from './command-envelope.js';
import { IdempotencyKeyReusedError, ConcurrencyConflictError, PreconditionFailedError } from './command-errors.js';
import { deterministicUuid, timeOrderedUuid } from './ids.js';
import { IdempotencyRecords } from './idempotency-records.js';
import { type Decider, fold } from './fold.js';

export interface StreamCommand<S, E extends DomainEvent> {
  /** The command's name, recorded in every event's metadata. */
  name: string;
  stream: string;
  /** The id the answer names (the resource the command created or changed). */
  id: string;
  decider: Decider<S, E>;
  /** The pure decision over the stream's state. */
  decide: (state: S) => E[];
  envelope: CommandEnvelope;
  /** The command starts its stream (RecordIncident, DraftActionPlan, …): try it without reading first. */
  createsStream?: boolean;
}

/** What the metadata and the answer need of a command. */
type CommandIdentity = Pick<StreamCommand<unknown, DomainEvent>, 'name' | 'stream' | 'id' | 'envelope'>;

/** How often a command without If-Match is decided again when another writer got in first. */
const MAX_ATTEMPTS = 5;

/**
 * The whole write path: read the stream, fold it, decide, append with the expected revision.
 *
 * With `If-Match` the expected revision is the client's and a mismatch is a 412. Without it the
 * revision read is expected, and a concurrent write makes the command be decided again on the new state.
 *
 * With `Idempotency-Key`, event ids are derived from the key, so a retry that reaches the store after
 * a crash is a no-op there; the events carry the key, so a retry finds its first result in the stream;
 * and a record per key (written after the append) answers retries and catches reuse with another body.
 */
@Injectable()
export class CommandPipeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly idempotency: IdempotencyRecords,
  ) {}

  async run<S, E extends DomainEvent>(command: StreamCommand<S, E>): Promise<CommandResult> {
    const { idempotency } = command.envelope;
    if (idempotency) {
      const recorded = await this.idempotency.find(idempotency.key);
      if (recorded) {
        if (recorded.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
        return recorded.result;
      }
    }
    const result = await this.decideAndAppend(command);
    if (idempotency) await this.idempotency.record(idempotency.key, idempotency.requestHash, result);
    return result;
  }

  private async decideAndAppend<S, E extends DomainEvent>(command: StreamCommand<S, E>): Promise<CommandResult> {
    const { stream, envelope } = command;
    for (let attempt = 1; ; attempt++) {
      // A command that creates its stream is first tried as if the stream were new, without reading it:
      // the store's no_stream check makes that safe, and anything else falls back to the read below.
      const optimistic = attempt === 1 && command.createsStream === true && envelope.expectedRevision === undefined;
      const history = optimistic ? [] : await this.store.readStream(stream);
      const replayed = this.earlierAnswer(command, history);
      if (replayed) return replayed;

      const current = history.length === 0 ? undefined : history[history.length - 1].revision;
      if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== current) {
        throw new PreconditionFailedError(stream, envelope.expectedRevision, current);
      }
      let events: E[];
      try {
        events = command.decide(fold(command.decider, history));
      } catch (error) {
        // Refused on the assumed-new state: decide again on the real one, which is what the client gets.
        if (optimistic) continue;
        throw error;
      }
      const expected: ExpectedRevision = current ?? 'no_stream';
      try {
        const appended = await this.store.append(stream, this.toAppend(command, events), expected);
        return { id: command.id, stream, revision: appended.nextExpectedRevision, position: appended.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (envelope.expectedRevision !== undefined) {
          throw new PreconditionFailedError(stream, envelope.expectedRevision, error.actual === 'no_stream' ? undefined : error.actual);
        }
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyConflictError(stream);
      }
    }
  }

  /** A retry whose events are already in the stream (the answer was lost) gets the first result. */
  private earlierAnswer(command: CommandIdentity, history: RecordedEvent[]): CommandResult | undefined {
    const idempotency = command.envelope.idempotency;
    if (!idempotency) return undefined;
    const earlier = history.filter((event) => event.metadata.idempotencyKey === idempotency.key);
    if (earlier.length === 0) return undefined;
    const last = earlier[earlier.length - 1];
    if (last.metadata.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
    return { id: command.id, stream: command.stream, revision: last.revision, position: last.position };
  }

  private toAppend(command: CommandIdentity, events: DomainEvent[]): EventToAppend[] {
    const { envelope } = command;
    const metadata: EventMetadata = {
      actor: envelope.actor,
      command: command.name,
      commandId: envelope.commandId,
      issuedAt: envelope.now.toISOString(),
      correlationId: envelope.correlationId,
      causationId: envelope.commandId,
      ...(envelope.idempotency && { idempotencyKey: envelope.idempotency.key, requestHash: envelope.idempotency.requestHash }),
    };
    return events.map((event, i) => ({
      // Derived from the key and the request, a retried append is recognised by the store and writes
      // nothing; the same key with another request gives other ids, so it cannot pass for a retry.
      id: envelope.idempotency
        ? deterministicUuid('event', envelope.idempotency.key, envelope.idempotency.requestHash, command.stream, String(i))
        : timeOrderedUuid(),
      type: event.type,
      data: event.data,
      metadata,
    }));
  }
}
