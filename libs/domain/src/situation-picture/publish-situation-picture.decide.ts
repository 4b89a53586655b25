import type { Decision } from '../shared/domain-event.js';
import { type FieldProblem, IllegalStateError, InvalidCommandError, NotFoundError, UnknownReferenceError } from '../shared/errors.js';
import { DEFAULT_PERIOD_ANCHOR, DEFAULT_TIME_ZONE, isIsoDate, type Period, periodOf } from '../shared/periods.js';
import type { MunicipalityFacts } from '../registry/registry.state.js';
import { responsibleProblem } from '../action-plan/action-plan.vocabulary.js';
import type { AgreedAction, SituationPicturePublished } from './situation-picture.events.js';
import type { SituationPictureState } from './situation-picture.state.js';

export interface PublishSituationPicture extends Decision {
  publicationId: string;
  municipalityId: string;
  periodStart: string;
  agreedActions: AgreedAction[];
  /** The publication of this period that this one corrects: it must be the latest. */
  corrects?: string;
  /** The global log position at publication, as a decimal string, supplied by the handler. */
  position: string;
  /** The municipality, as it stands; undefined when it is not registered. */
  municipality: MunicipalityFacts | undefined;
  /** SITUATION_PERIOD_ANCHOR and TZ_REPORTING (SPEC 6). */
  periodAnchor?: string;
  timeZone?: string;
}

/**
 * The municipality and the period are the resource named in the path, so a wrong one is a 404, as
 * `GET /situation-pictures/{municipality}/{periodStart}` answers; a date inside a period names the
 * period's start.
 */
function periodToPublish(command: PublishSituationPicture): Period {
  const { municipalityId, periodStart } = command;
  if (!command.municipality) {
    throw new NotFoundError('SITUATION_PICTURE.UNKNOWN_MUNICIPALITY', `municipality ${municipalityId} is not registered`, { municipalityId });
  }
  if (!isIsoDate(periodStart)) throw new InvalidCommandError('SITUATION_PICTURE.INVALID', [{ field: 'periodStart', message: 'must be a date YYYY-MM-DD' }]);
  const period = periodOf(periodStart, command.periodAnchor ?? DEFAULT_PERIOD_ANCHOR, command.timeZone ?? DEFAULT_TIME_ZONE);
  if (period.periodStart !== periodStart) {
    throw new NotFoundError('SITUATION_PICTURE.NOT_A_PERIOD_START', `${periodStart} does not start a period; the period holding it starts on ${period.periodStart}`, {
      periodStart: period.periodStart,
    });
  }
  return period;
}

function fieldProblems({ agreedActions, position }: PublishSituationPicture): FieldProblem[] {
  const problems: FieldProblem[] = [];
  agreedActions.forEach(({ title, responsible, dueDate }, i) => {
    if (typeof title !== 'string' || title.trim() === '') problems.push({ field: `agreedActions[${i}].title`, message: 'must say what was agreed' });
    const issue = responsibleProblem(responsible);
    if (issue) problems.push({ field: `agreedActions[${i}].responsible${typeof responsible === 'string' ? '' : '.partner'}`, message: issue });
    if (!isIsoDate(dueDate)) problems.push({ field: `agreedActions[${i}].dueDate`, message: 'must be a date YYYY-MM-DD' });
  });
  if (!/^(0|[1-9]\d*)$/.test(position)) problems.push({ field: 'position', message: 'must be a log position as a decimal string' });
  return problems;
}

/** A period is published once; after that only a correction of the latest publication is. */
function checkPublications(command: PublishSituationPicture, state: SituationPictureState): void {
  const { corrects, publicationId } = command;
  if (corrects === undefined) {
    if (state.status === 'published') {
      throw new IllegalStateError('SITUATION_PICTURE.ALREADY_PUBLISHED', `the period is published as ${state.publicationId}; publish a correction of it instead`, {
        publicationId: state.publicationId,
      });
    }
    return;
  }
  if (state.status === 'none' || !state.publicationIds.includes(corrects)) {
    throw new UnknownReferenceError('SITUATION_PICTURE.UNKNOWN_PUBLICATION', `publication ${corrects} is not of this period`, 'corrects', corrects);
  }
  if (corrects !== state.publicationId) {
    throw new IllegalStateError('SITUATION_PICTURE.NOT_LATEST_PUBLICATION', `publication ${corrects} is already corrected; the latest is ${state.publicationId}`, {
      latestPublicationId: state.publicationId,
    });
  }
  if (state.publicationIds.includes(publicationId)) {
    throw new IllegalStateError('SITUATION_PICTURE.PUBLICATION_EXISTS', `publication ${publicationId} exists`, { publicationId });
  }
}

export function publishSituationPicture(command: PublishSituationPicture, state: SituationPictureState): SituationPicturePublished[] {
  const period = periodToPublish(command);
  const problems = fieldProblems(command);
  if (problems.length > 0) throw new InvalidCommandError('SITUATION_PICTURE.INVALID', problems);
  if (Date.parse(period.endInstant) > command.now.getTime()) {
    throw new IllegalStateError('SITUATION_PICTURE.PERIOD_NOT_ENDED', `the period ends at ${period.endInstant}`, { periodEnd: period.periodEnd, endsAt: period.endInstant });
  }
  checkPublications(command, state);
  return [
    {
      type: 'SituationPicturePublished',
      data: {
        publicationId: command.publicationId,
        municipalityId: command.municipalityId,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        position: command.position,
        publishedAt: command.now.toISOString(),
        agreedActions: command.agreedActions.map(({ title, responsible, dueDate }) => ({
          title,
          responsible: typeof responsible === 'string' ? responsible : { partner: responsible.partner },
          dueDate,
        })),
        corrects: command.corrects ?? null,
      },
    },
  ];
}
