import { describe, it } from '@jest/globals';
import { given } from '../shared/decider.testing.js';
import type { AreaFacts, MunicipalityFacts } from '../registry/registry.state.js';
import { type RecordSurveyResults, recordSurveyResults } from './record-survey-results.decide.js';
import type { SurveyResultsRecorded } from './survey.events.js';
import { survey } from './survey.state.js';

const municipality: MunicipalityFacts = { status: 'registered', municipalityId: 'danderyd', name: 'Danderyd', policeArea: 'Södra Roslagen' };
const area: AreaFacts = { status: 'defined', areaId: 'enebyberg', municipalityId: 'danderyd', name: 'Enebyberg', boundary: null };
const command = (overrides: Partial<RecordSurveyResults> = {}): RecordSurveyResults => ({
  surveyId: 's-2024',
  municipalityId: 'danderyd',
  areaId: 'enebyberg',
  year: 2024,
  results: [
    { indicator: 'feels-unsafe-outdoors-evening', value: 0.21, respondents: 812 },
    { indicator: 'worry-about-burglary', value: 3.4, respondents: 790, kind: 'mean' },
  ],
  municipality,
  area,
  now: new Date('2025-01-20T10:00:00Z'),
  ...overrides,
});
const recorded: SurveyResultsRecorded = {
  type: 'SurveyResultsRecorded',
  data: {
    surveyId: 's-2024',
    municipalityId: 'danderyd',
    areaId: 'enebyberg',
    year: 2024,
    results: [
      { indicator: 'feels-unsafe-outdoors-evening', value: 0.21, respondents: 812, kind: 'share' },
      { indicator: 'worry-about-burglary', value: 3.4, respondents: 790, kind: 'mean' },
    ],
  },
};

describe('recordSurveyResults', () => {
  it('records results, reading a value as a share unless it is marked a mean', () => {
    given(survey).when((s) => recordSurveyResults(command(), s)).then([recorded]);
  });

  it('records results for the whole municipality', () => {
    given(survey)
      .when((s) => recordSurveyResults(command({ areaId: undefined, area: undefined }), s))
      .then([{ ...recorded, data: { ...recorded.data, areaId: null } }]);
  });

  it('records a survey once', () => {
    given(survey, [recorded]).when((s) => recordSurveyResults(command(), s)).thenThrows('SURVEY.ALREADY_RECORDED');
  });

  it('names every bad result field by its index', () => {
    given(survey)
      .when((s) =>
        recordSurveyResults(
          command({
            results: [
              { indicator: 'feels-unsafe-outdoors-evening', value: 0.21, respondents: 812 },
              { indicator: '', value: 0.5, respondents: 0 },
              { indicator: 'feels-unsafe-outdoors-evening', value: 21, respondents: 812.5 },
            ],
          }),
          s,
        ),
      )
      .thenThrows('SURVEY.INVALID', {
        errors: [
          { field: 'results[1].indicator', message: 'must name the indicator' },
          { field: 'results[1].respondents', message: 'must be a whole number > 0' },
          { field: 'results[2].indicator', message: 'feels-unsafe-outdoors-evening is listed twice' },
          { field: 'results[2].value', message: 'a share must lie in [0, 1]' },
          { field: 'results[2].respondents', message: 'must be a whole number > 0' },
        ],
      });
  });

  it('needs results, and a year that has begun', () => {
    given(survey)
      .when((s) => recordSurveyResults(command({ year: 2026, results: [] }), s))
      .thenThrows('SURVEY.INVALID', {
        errors: [
          { field: 'year', message: 'must be a year, not after the current one' },
          { field: 'results', message: 'must hold at least one result' },
        ],
      });
  });

  it('refuses an unknown municipality, and an area of another one', () => {
    given(survey)
      .when((s) => recordSurveyResults(command({ municipality: undefined }), s))
      .thenThrows('SURVEY.UNKNOWN_MUNICIPALITY', { field: 'municipalityId', value: 'danderyd' });
    given(survey)
      .when((s) => recordSurveyResults(command({ area: { ...area, municipalityId: 'taby' } }), s))
      .thenThrows('SURVEY.UNKNOWN_AREA', { field: 'areaId', value: 'enebyberg' });
  });
});
