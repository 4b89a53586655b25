import type { Decision } from '../shared/domain-event.js';
import { type FieldProblem, IllegalStateError, InvalidCommandError, UnknownReferenceError } from '../shared/errors.js';
import { DEFAULT_TIME_ZONE, isIsoDate, localDateOf } from '../shared/periods.js';
import type { AreaFacts, MunicipalityFacts } from '../registry/registry.state.js';
import type { BraCount, PoliceStatisticsImported } from './police-statistics.events.js';
import type { PoliceStatisticsState } from './police-statistics.state.js';

export interface ImportPoliceStatistics extends Decision {
  importId: string;
  municipalityId: string;
  areaId?: string;
  periodStart: string;
  periodEnd: string;
  counts: BraCount[];
  source?: string;
  /** What the handler looked up: the municipality and the area named, as they stand. */
  municipality: MunicipalityFacts | undefined;
  area?: AreaFacts;
}

function fieldProblems({ periodStart, periodEnd, counts, now }: ImportPoliceStatistics): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isIsoDate(periodStart)) problems.push({ field: 'periodStart', message: 'must be a date YYYY-MM-DD' });
  else if (periodStart > localDateOf(now, DEFAULT_TIME_ZONE)) problems.push({ field: 'periodStart', message: 'must not be in the future' });
  if (!isIsoDate(periodEnd)) problems.push({ field: 'periodEnd', message: 'must be a date YYYY-MM-DD' });
  else if (isIsoDate(periodStart) && periodEnd < periodStart) problems.push({ field: 'periodEnd', message: 'must not be before periodStart' });
  if (counts.length === 0) problems.push({ field: 'counts', message: 'must hold at least one count' });
  const categories = counts.map((c) => c.braCategory);
  counts.forEach(({ braCategory, count }, i) => {
    if (typeof braCategory !== 'string' || braCategory.trim() === '') problems.push({ field: `counts[${i}].braCategory`, message: 'must name the Brå category' });
    else if (categories.indexOf(braCategory) !== i) problems.push({ field: `counts[${i}].braCategory`, message: `${braCategory} is listed twice` });
    if (!Number.isInteger(count) || count < 0) problems.push({ field: `counts[${i}].count`, message: 'must be a whole number ≥ 0' });
  });
  return problems;
}

/** A new import of the same municipality, area and period replaces the figures in force and names the import it replaces. */
export function importPoliceStatistics(command: ImportPoliceStatistics, state: PoliceStatisticsState): PoliceStatisticsImported[] {
  if (state.status === 'imported' && state.importIds.includes(command.importId)) {
    throw new IllegalStateError('POLICE_STATISTICS.ALREADY_IMPORTED', `import ${command.importId} is already recorded`, { importId: command.importId });
  }
  const problems = fieldProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('POLICE_STATISTICS.INVALID', problems);
  const { municipalityId, areaId, area } = command;
  if (!command.municipality) {
    throw new UnknownReferenceError('POLICE_STATISTICS.UNKNOWN_MUNICIPALITY', `municipality ${municipalityId} is not registered`, 'municipalityId', municipalityId);
  }
  if (areaId !== undefined && (area?.areaId !== areaId || area.municipalityId !== municipalityId)) {
    throw new UnknownReferenceError('POLICE_STATISTICS.UNKNOWN_AREA', `area ${areaId} is not defined in ${municipalityId}`, 'areaId', areaId);
  }
  return [
    {
      type: 'PoliceStatisticsImported',
      data: {
        importId: command.importId,
        municipalityId,
        areaId: areaId ?? null,
        periodStart: command.periodStart,
        periodEnd: command.periodEnd,
        // Field by field, so nothing but the aggregate ever reaches the log.
        counts: command.counts.map(({ braCategory, count }) => ({ braCategory, count })),
        source: command.source ?? null,
        supersedes: state.status === 'imported' ? state.importId : null,
      },
    },
  ];
}
