import type { DomainEvent } from '../shared/domain-event.js';

/**
 * How to read a value: a share of respondents in [0, 1] (the default: survey indicators are mostly
 * "share who feel unsafe …"), or a mean on the survey's own scale, which is not bounded here.
 */
export type SurveyValueKind = 'share' | 'mean';

export interface SurveyResult {
  indicator: string;
  value: number;
  respondents: number;
  kind: SurveyValueKind;
}

export type SurveyResultsRecorded = DomainEvent<
  'SurveyResultsRecorded',
  { surveyId: string; municipalityId: string; areaId: string | null; year: number; results: SurveyResult[] }
>;

export type SurveyEvent = SurveyResultsRecorded;

export const surveyStream = (surveyId: string) => `survey-${surveyId}`;
