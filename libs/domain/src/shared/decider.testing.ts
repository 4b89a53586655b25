import { expect } from '@jest/globals';
import { DomainError } from './errors.js';

/**
 * Decider specs as given events → when command → then events or error:
 *   given(incident, [recorded]).when((state) => retractIncident(cmd, state)).thenThrows('INCIDENT.ALREADY_RETRACTED')
 */
export function given<S, E>(decider: { initialState: () => S; evolve: (state: S, event: E) => S }, events: readonly E[] = []) {
  const state = events.reduce(decider.evolve, decider.initialState());
  return {
    state,
    when<R>(decide: (state: S) => R) {
      return {
        then(expected: R): void {
          expect(decide(state)).toEqual(expected);
        },
        thenThrows(code: string, details?: Record<string, unknown>): DomainError {
          let thrown: unknown;
          try {
            decide(state);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect((thrown as DomainError).code).toBe(code);
          if (details) expect((thrown as DomainError).details).toMatchObject(details);
          return thrown as DomainError;
        },
      };
    },
  };
}
