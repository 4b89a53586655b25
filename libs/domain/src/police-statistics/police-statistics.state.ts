import type { PoliceStatisticsEvent, PoliceStatisticsImported } from './police-statistics.events.js';

/** The figures in force (the latest import) and every import id the stream has seen, oldest first. */
export type PoliceStatisticsState =
  | { status: 'none' }
  | ({ status: 'imported' } & PoliceStatisticsImported['data'] & { importIds: string[] });

export const policeStatistics = {
  initialState: (): PoliceStatisticsState => ({ status: 'none' }),
  evolve: (state: PoliceStatisticsState, event: PoliceStatisticsEvent): PoliceStatisticsState => ({
    status: 'imported',
    ...event.data,
    importIds: [...(state.status === 'imported' ? state.importIds : []), event.data.importId],
  }),
};
