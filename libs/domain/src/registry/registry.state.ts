import type { AreaDefined, AreaEvent, MunicipalityEvent, MunicipalityRegistered, PlaceEvent, PlaceRegistered } from './registry.events.js';

/** Registry entities are written once; their state is whether they exist and what they are. */
export type MunicipalityState = { status: 'none' } | ({ status: 'registered' } & MunicipalityRegistered['data']);
export type AreaState = { status: 'none' } | ({ status: 'defined' } & AreaDefined['data']);
export type PlaceState = { status: 'none' } | ({ status: 'registered' } & PlaceRegistered['data']);

export const municipality = {
  initialState: (): MunicipalityState => ({ status: 'none' }),
  evolve: (_state: MunicipalityState, event: MunicipalityEvent): MunicipalityState => ({ status: 'registered', ...event.data }),
};

export const area = {
  initialState: (): AreaState => ({ status: 'none' }),
  evolve: (_state: AreaState, event: AreaEvent): AreaState => ({ status: 'defined', ...event.data }),
};

export const place = {
  initialState: (): PlaceState => ({ status: 'none' }),
  evolve: (_state: PlaceState, event: PlaceEvent): PlaceState => ({ status: 'registered', ...event.data }),
};

/** The facts about an existing area that other commands need. */
export type AreaFacts = Extract<AreaState, { status: 'defined' }>;
export type PlaceFacts = Extract<PlaceState, { status: 'registered' }>;
export type MunicipalityFacts = Extract<MunicipalityState, { status: 'registered' }>;
