import type { Decision } from '../shared/domain-event.js';
import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import type { AreaFacts, MunicipalityFacts } from '../registry/registry.state.js';
import type { SurveyResultsRecorded, SurveyValueKind } from './survey.events.js';
import type { SurveyState } from './survey.state.js';

export interface RecordSurveyResults extends Decision {
  surveyId: string;
  municipalityId: string;
  areaId?: string;
  year: number;
  /** `kind` defaults to 'share'; only a result marked 'mean' may lie outside [0, 1]. */
  results: { indicator: string; value: number; respondents: number; kind?: SurveyValueKind }[];
  /** What the handler looked up: the municipality and the area named, as they stand. */
  municipality: MunicipalityFacts | undefined;
  area?: AreaFacts;
}

function resultProblems(results: RecordSurveyResults['results']): FieldProblem[] {
  if (results.length === 0) return [{ field: 'results', message: 'must hold at least one result' }];
  const problems: FieldProblem[] = [];
  const indicators = results.map((r) => r.indicator);
  results.forEach(({ indicator, value, respondents, kind = 'share' }, i) => {
    if (typeof indicator !== 'string' || indicator.trim() === '') problems.push({ field: `results[${i}].indicator`, message: 'must name the indicator' });
    else if (indicators.indexOf(indicator) !== i) problems.push({ field: `results[${i}].indicator`, message: `${indicator} is listed twice` });
    if (kind !== 'share' && kind !== 'mean') problems.push({ field: `results[${i}].kind`, message: "must be 'share' or 'mean'" });
    if (!Number.isFinite(value)) problems.push({ field: `results[${i}].value`, message: 'must be a number' });
    else if (kind === 'share' && (value < 0 || value > 1)) problems.push({ field: `results[${i}].value`, message: 'a share must lie in [0, 1]' });
    if (!Number.isInteger(respondents) || respondents <= 0) problems.push({ field: `results[${i}].respondents`, message: 'must be a whole number > 0' });
  });
  return problems;
}

export function recordSurveyResults(command: RecordSurveyResults, state: SurveyState): SurveyResultsRecorded[] {
  if (state.status !== 'none') throw new IllegalStateError('SURVEY.ALREADY_RECORDED', `survey ${command.surveyId} is already recorded`);
  const problems = resultProblems(command.results);
  // A survey reports on a year that has begun (the UTC year of now; the hour around New Year is moot).
  if (!Number.isInteger(command.year) || command.year > command.now.getUTCFullYear()) {
    problems.unshift({ field: 'year', message: 'must be a year, not after the current one' });
  }
  if (problems.length > 0) throw new InvalidCommandError('SURVEY.INVALID', problems);
  const { municipalityId, areaId, area } = command;
  if (!command.municipality) {
    throw new UnknownReferenceError('SURVEY.UNKNOWN_MUNICIPALITY', `municipality ${municipalityId} is not registered`, 'municipalityId', municipalityId);
  }
  if (areaId !== undefined && (area?.areaId !== areaId || area.municipalityId !== municipalityId)) {
    throw new UnknownReferenceError('SURVEY.UNKNOWN_AREA', `area ${areaId} is not defined in ${municipalityId}`, 'areaId', areaId);
  }
  return [
    {
      type: 'SurveyResultsRecorded',
      data: {
        surveyId: command.surveyId,
        municipalityId,
        areaId: areaId ?? null,
        year: command.year,
        results: command.results.map(({ indicator, value, respondents, kind = 'share' }) => ({ indicator, value, respondents, kind })),
      },
    },
  ];
}
