import type { DomainEvent } from '@app/domain';
import type { EventMetadata, RecordedEvent } from '@app/event-store';

export const testActor = { id: 'anna.lind', role: 'safety-coordinator', organisation: 'danderyd' };

/**
 * A log in a spec: recorded events with positions, per-stream revisions and metadata, the way the
 * store would record them, with exact times.
 */
export class TestLog {
  readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, bigint>();
  private sequence = 0;

  constructor(private readonly firstRecordedAt = Date.parse('2025-03-01T12:00:00.000Z')) {}

  append(stream: string, event: DomainEvent, metadata: Partial<EventMetadata> = {}): RecordedEvent {
    const revision = (this.revisions.get(stream) ?? -1n) + 1n;
    this.revisions.set(stream, revision);
    const n = ++this.sequence;
    const recorded: RecordedEvent = {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: event.type,
      stream,
      revision,
      position: BigInt(n),
      data: structuredClone(event.data),
      metadata: { actor: testActor, command: 'Test', correlationId: `c-${n}`, causationId: `c-${n}`, issuedAt: new Date(this.firstRecordedAt + n * 1000 - 500).toISOString(), ...metadata },
      recordedAt: new Date(this.firstRecordedAt + n * 1000),
    };
    this.events.push(recorded);
    return recorded;
  }
}
