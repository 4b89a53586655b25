import type { SurveyEvent, SurveyResultsRecorded } from './survey.events.js';

/** A survey's results are recorded once; a correction is a new survey id. */
export type SurveyState = { status: 'none' } | ({ status: 'recorded' } & SurveyResultsRecorded['data']);

export const survey = {
  initialState: (): SurveyState => ({ status: 'none' }),
  evolve: (_state: SurveyState, event: SurveyEvent): SurveyState => ({ status: 'recorded', ...event.data }),
};
