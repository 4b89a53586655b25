import type { DomainEvent } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

export interface Decider<S, E extends DomainEvent> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
}

/** A stream's state: its recorded events folded with the decider's evolve. */
export function fold<S, E extends DomainEvent>(decider: Decider<S, E>, events: readonly RecordedEvent[]): S {
  return events.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data } as E), decider.initialState());
}
