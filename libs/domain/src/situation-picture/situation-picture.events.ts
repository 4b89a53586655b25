import type { DomainEvent } from '../shared/domain-event.js';
import type { Responsible } from '../action-plan/action-plan.vocabulary.js';

/** What the group agreed to do at the meeting on the picture: a decision, recorded. */
export interface AgreedAction {
  title: string;
  responsible: Responsible;
  /** `YYYY-MM-DD`. */
  dueDate: string;
}

/**
 * The picture of one municipality and 14-day period, frozen at `position` (the global log position
 * at publication, a decimal string): the read side shows the figures as of that position beside the
 * live ones. A correction is a later publication that names the one it corrects.
 */
export type SituationPicturePublished = DomainEvent<
  'SituationPicturePublished',
  {
    publicationId: string;
    municipalityId: string;
    /** First and last day of the period (see shared/periods.ts). */
    periodStart: string;
    periodEnd: string;
    position: string;
    /** ISO instant. */
    publishedAt: string;
    agreedActions: AgreedAction[];
    corrects: string | null;
  }
>;

export type SituationPictureEvent = SituationPicturePublished;

export const situationPictureStream = (municipalityId: string, periodStart: string) => `situationpicture-${municipalityId}-${periodStart}`;
